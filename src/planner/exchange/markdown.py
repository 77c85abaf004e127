"""A Markdown summary of a plan as of a date, to paste into meeting notes.

Headline (adoption index, items by status, overdue items, next review), then the items that
need attention (off track, then at risk) with owner, last reading and status word, then the
rest, then the action items (open ones first: text, owner, due date, status) and the reviews
held up to the date (newest first: attendees, adoption index then, decisions, notes) with the
planned review dates. Every user-written text is escaped
(`md_text`): it shows as written and never becomes a heading, a link, a table cell break or
HTML. Same plan and as-of date, same bytes (UTF-8, `\\n` line endings).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from planner.domain.planning import format_day
from planner.exchange.report import (
    NO_ACTIONS,
    NO_REVIEWS,
    Report,
    ReportAction,
    ReportItem,
    ReportReview,
    headline_counts,
    percent,
)

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#!|~])")
_ENTITY_START = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
"""An `&` that would start an entity or character reference (`&amp;`, `&#60;`)."""
_LINE_START = re.compile(r"^(\s*)([+\-=>]|\d+[.)])")


def md_text(text: str) -> str:
    """User text as literal Markdown on one line: punctuation that means something is
    backslash-escaped (pipes, backticks, brackets, `<`, `#` ...), a leading list or heading
    marker too, and line breaks become spaces. A plain `&` stays as it is ("Q&A", "R & D");
    one that would start an entity (`&lt;`, `&#60;`) becomes `&amp;`, which every Markdown
    renderer shows as `&`, so the text reads as typed (a backslash before `&` shows up in
    renderers that do not treat it as an escape)."""
    one_line = " ".join(text.split())
    escaped = _SPECIAL.sub(r"\\\1", _ENTITY_START.sub("&amp;", one_line))
    return _LINE_START.sub(lambda m: m.group(1) + _escape_marker(m.group(2)), escaped)


def _escape_marker(marker: str) -> str:
    if marker[0].isdigit():
        return marker[:-1] + "\\" + marker[-1]
    return "\\" + marker


def _day(day: date | None) -> str:
    return format_day(day) if day else "—"


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return lines


def _item_row(item: ReportItem) -> list[str]:
    return [
        md_text(item.title),
        md_text(item.owner) or "—",
        f"**{item.status}**",
        _day(item.last_reading),
        f"{_day(item.start)} – {_day(item.last_day)}" + (" (overdue)" if item.overdue else ""),
        str(item.stories),
    ]


_ITEM_HEADERS = ("Item", "Owner", "Status", "Last reading", "Dates", "Stories")
_ACTION_HEADERS = ("Action", "Owner", "Due", "Status", "Raised at review")


def _action_row(action: ReportAction) -> list[str]:
    return [
        md_text(action.text),
        md_text(action.owner) or "—",
        _day(action.due) + (" (overdue)" if action.overdue else ""),
        f"**{action.status}**",
        _day(action.raised_at),
    ]


def _review_lines(review: ReportReview) -> list[str]:
    lines = [
        f"### Review of {format_day(review.date)}",
        "",
        "- Attendees: " + (", ".join(md_text(a) for a in review.attendees) or "—"),
        f"- Adoption index then: {percent(review.adoption_index)}",
    ]
    if review.decisions:
        lines.append("- Decisions:")
        lines += [f"  - {md_text(d)}" for d in review.decisions]
    else:
        lines.append("- Decisions: none")
    lines += [f"- Notes: {md_text(review.notes) or '—'}", ""]
    return lines


def markdown_summary(report: Report) -> str:
    """The summary as Markdown text (see the module docstring)."""
    plan = report.plan
    lines = [
        f"# {md_text(plan.name)}: review summary",
        "",
        f"As of {format_day(report.as_of)} · plan runs {_day(report.first_day)} – "
        f"{_day(report.last_day)} · reviews {plan.review_cadence}"
        + (f" · lead {md_text(report.lead)}" if report.lead else ""),
        "",
        "## Headline",
        "",
        f"- Adoption index: **{percent(report.adoption_index)}**"
        + (f" ({report.coverage})" if report.coverage is not None else ""),
        "- Items: " + ", ".join(f"{status} {count}" for status, count in headline_counts(report)),
        f"- Overdue items: {report.overdue}",
        f"- Next review: {_day(report.next_review)}",
        "",
        "## Needs attention",
        "",
    ]
    attention = report.attention()
    if attention:
        lines += _table(_ITEM_HEADERS, [_item_row(i) for i in attention])
    else:
        lines.append("No item is at risk or off track.")
    lines += ["", "## Other items", ""]
    others = report.others()
    if others:
        lines += _table(_ITEM_HEADERS, [_item_row(i) for i in others])
    else:
        lines.append("No other items.")
    lines += ["", "## Action items", ""]
    if report.actions:
        lines += _table(_ACTION_HEADERS, [_action_row(a) for a in report.actions])
    else:
        lines.append(NO_ACTIONS)
    lines += ["", "## Reviews", ""]
    if report.held:
        for review in report.held:
            lines += _review_lines(review)
    else:
        lines += [NO_REVIEWS, ""]
    if report.reviews:
        lines += [
            "Planned review dates: " + ", ".join(format_day(d) for d in report.reviews) + ".",
            "",
        ]
    return "\n".join(lines)


def markdown_bytes(report: Report) -> bytes:
    return markdown_summary(report).encode("utf-8")
