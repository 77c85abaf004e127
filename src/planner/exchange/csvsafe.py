"""CSV that spreadsheets open safely: neutralised formula cells, plain numbers, exact bytes.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula (and some strip a
leading tab or carriage return first), so text from users such as `=HYPERLINK(...)` in an item's
notes could run when a stakeholder opens the export. Such text gets a leading single quote,
which spreadsheets show as text. A cell that is a plain number (`-3`, `+2`, `1.5`, `-2e3`) is not
a formula and is left alone, so numbers stay numbers.

Files are UTF-8 with `\\r\\n` line endings (RFC 4180), every line, the last one included; line
breaks inside a quoted cell stay as the user typed them. Lines are joined here rather than by
`csv.writer`, which is several times slower; `field` quotes exactly as csv.writer does (a test
holds them together), so any CSV reader reads the files. `excel=True` adds a byte order mark so
Excel reads the file as UTF-8 rather than the system code page.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import cast

FORMULA_PREFIXES: frozenset[str] = frozenset({"=", "+", "-", "@", "\t", "\r"})
"""First characters that make a spreadsheet treat a cell as a formula."""

LINE_TERMINATOR = "\r\n"
BOM = "\ufeff".encode()

_NEEDS_QUOTES = re.compile(r'[",\r\n]')
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def neutralise(text: str) -> str:
    """`text`, with a leading `'` if a spreadsheet would run it as a formula."""
    if text and text[0] in FORMULA_PREFIXES and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def format_number(value: float) -> str:
    """`12` for 12.0, `1.5`, `-3`: whole numbers without `.0`, others exact (shortest repr)."""
    if not math.isfinite(value):
        return ""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def cell(value: object) -> str:
    """One value as CSV cell text: dates in ISO form, numbers plain, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(str(value))


def field(value: object) -> str:
    """One value as it goes between the commas: `cell(value)`, quoted when it must be.

    Quoting follows RFC 4180 and Python's `csv.QUOTE_MINIMAL` with a `\\r\\n` terminator:
    only a cell holding a comma, a double quote or a line break is quoted, quotes doubled.
    """
    text = cell(value)
    if _NEEDS_QUOTES.search(text) is None:
        return text
    return '"' + text.replace('"', '""') + '"'


def fields(values: Sequence[object]) -> list[str]:
    """`field(value)` of each value: a column of cells at once, for thousands of rows.

    Each distinct value is formatted once (a column's values repeat), and a column of text
    that needs neither a leading quote nor quoting, the usual case, is found so at once.
    """
    distinct = dict.fromkeys(values, "")
    kinds = set(map(type, distinct))
    if kinds == {str}:
        if _plain_lines("\n".join(cast("dict[str, str]", distinct)), len(distinct)):
            return list(cast("Sequence[str]", values))  # each value is its own field
    elif (True in distinct or False in distinct) and bool in set(map(type, values)):
        return [field(value) for value in values]  # True == 1, but "true" is not "1"
    for value in distinct:
        distinct[value] = field(value)
    return list(map(distinct.__getitem__, values))


_FORMULA_STARTS = tuple(sorted(FORMULA_PREFIXES))
_BREAK_THEN_FORMULA = tuple("\n" + prefix for prefix in _FORMULA_STARTS)


def _plain_lines(text: str, count: int) -> bool:
    """Whether `count` texts joined by line breaks are each their own field, as they are.

    That is, none holds a quote, comma or line break (the line breaks are then the `count - 1`
    joins, so each text starts `text` or follows one) and none starts with a formula prefix.
    """
    if '"' in text or "," in text or "\r" in text or text.count("\n") != count - 1:
        return False
    return not text.startswith(_FORMULA_STARTS) and not any(
        start in text for start in _BREAK_THEN_FORMULA
    )


def csv_line(values: Iterable[object]) -> str:
    """One row of values as a CSV line, without its line ending."""
    fields = [field(v) for v in values]
    # A row of one empty cell is written `""`, as csv.writer does, so it is not a blank line.
    return ",".join(fields) if fields != [""] else '""'


def encode_lines(lines: Sequence[str], *, excel: bool = False) -> bytes:
    """Lines made by `csv_line` (or of `field`s) as the file's bytes, every line terminated."""
    data = (LINE_TERMINATOR.join(lines) + LINE_TERMINATOR).encode("utf-8") if lines else b""
    return BOM + data if excel else data


def csv_bytes(
    header: Sequence[str], rows: Iterable[Iterable[object]], *, excel: bool = False
) -> bytes:
    """The header and rows of values as UTF-8 CSV bytes, with a BOM when `excel`."""
    return encode_lines([csv_line(header), *map(csv_line, rows)], excel=excel)
