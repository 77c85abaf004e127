"""Text strategies for the property tests: anything a user may type (NUL excepted: every input
refuses it), with the pieces that break exports mixed in often."""

from __future__ import annotations

from hypothesis import strategies as st

NASTY = (
    "=", "+", "-", "@", "\t", "\r", "\n", "\r\n", ",", ";", '"', "'", "\\", " ",
    "<script>alert(1)</script>", "<b>", "</td>", "&", "&amp;", "&#60;", "&lt;",
    '=HYPERLINK("http://evil.example","x")', "+1", "-3", "@SUM(A1)", "1.5",
    "é", "ß", "😀", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1e", "\x01", "\x7f",
    "BEGIN:VEVENT", "\nEND:VEVENT\n", "DTSTART:20270101", "|", "*", "#", "`", "[x](y)", "> ",
    "1. ", "<!--", "]]>",
)  # fmt: skip
"""Formula triggers, CSV, HTML, Markdown and iCalendar syntax, line breaks of every kind."""

characters = st.characters(exclude_categories=["Cs"], exclude_characters="\x00")
any_text = st.lists(st.sampled_from(NASTY) | st.text(characters, max_size=8), max_size=6).map(
    "".join
)
"""Any text without NUL, often with several of the NASTY pieces."""
some_text = any_text.filter(lambda s: bool(s.strip()))
"""Any text that is not blank once stripped (for fields that need one)."""


def short(strategy: st.SearchStrategy[str], limit: int) -> st.SearchStrategy[str]:
    return strategy.filter(lambda s: len(s.strip()) <= limit)
