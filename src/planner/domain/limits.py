"""Limits on everything a user can send, in one place, and the checks that apply them.

Every reader of user input (playbook YAML, mapping YAML, plan CSV, readings CSV, plan bundle,
xAPI JSON, the dashboard's uploads and date inputs) checks against these, while parsing and
before memory is committed, and reports a crossing as a message naming the file and the line,
row or field. The README's "Limits" section states each one; a test crosses each.

    file size       per format (FILE_LIMITS); the dashboard's upload limit (the largest of them)
                    is `server.maxUploadSize` in .streamlit/config.toml
    nesting         JSON (bundle, xAPI) at most MAX_JSON_DEPTH levels; YAML at most
                    MAX_YAML_DEPTH; checked on the raw bytes as they stream in
    rows, cells     CSV files at most MAX_PLAN_CSV_ROWS / MAX_READINGS_CSV_ROWS rows and
                    MAX_CELL_CHARS characters a cell
    dates           years MIN_YEAR to MAX_YEAR, wherever a date comes in
    text            no NUL character (PostgreSQL cannot store one)
    patterns        mapping globs matched in linear time (exchange/xapi_mapping) and at most
                    MAX_PATTERN_CHARS long

This module is a leaf: the standard library and planner.errors only. Writing files safely
(`write_atomically`, `write_output`, the disk-full messages) is `planner.domain.output_files`,
re-exported here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from array import array
from collections.abc import Iterator
from itertools import accumulate
from typing import IO, Any

from planner.domain.output_files import DiskFullError as DiskFullError
from planner.domain.output_files import WriteFailedError as WriteFailedError
from planner.domain.output_files import disk_full_message as disk_full_message
from planner.domain.output_files import write_atomically as write_atomically
from planner.domain.output_files import write_failure as write_failure
from planner.domain.output_files import write_output as write_output
from planner.errors import ImportFormatError

MB = 1024 * 1024

MIN_YEAR = 1900
MAX_YEAR = 2999
"""Dates outside years 1900-2999 are refused: a plan in year 9999 breaks every date sum."""

MAX_JSON_DEPTH = 32
"""Arrays and objects inside each other; a real statement or bundle needs fewer than 10."""

MAX_YAML_DEPTH = 32
"""Lists and mappings inside each other in a YAML file; a playbook needs about 6."""

MAX_CELL_CHARS = 10_000
"""Characters in one CSV cell (a long note is a few hundred)."""

MAX_PLAN_CSV_ROWS = 5_000
"""Rows of a plan CSV (items of a plan; the largest plans measured have 2,000)."""

MAX_READINGS_CSV_ROWS = 100_000
"""Rows of a readings CSV; larger histories come as several files or as xAPI."""

MAX_PATTERN_CHARS = 2_000
"""Characters in one activity id pattern of a mapping file."""

FILE_LIMITS: dict[str, int] = {
    "playbook": 2 * MB,
    "taxonomy": 2 * MB,
    "mapping": 1 * MB,
    "plan CSV": 5 * MB,
    "readings CSV": 20 * MB,
    "plan bundle": 50 * MB,
    "xAPI": 100 * MB,
}
"""The largest file of each format the planner reads. xAPI files given to the command line are
streamed and not limited in size; uploads to the dashboard are."""

UPLOAD_LIMIT_MB = max(FILE_LIMITS.values()) // MB
"""`server.maxUploadSize` in .streamlit/config.toml (a test keeps the two equal)."""


class LimitError(ImportFormatError):
    """A file over one of the limits; the message says which, where, and what to do."""


# --- sizes ----------------------------------------------------------------------------------


def _megabytes(size: int) -> str:
    return f"{size / MB:,.1f} MB" if size >= MB // 10 else f"{size:,} bytes"


def size_problem(size: int, kind: str) -> str | None:
    """Why a file of `size` bytes is too big to be a `kind` (a FILE_LIMITS key), or None."""
    limit = FILE_LIMITS[kind]
    if size <= limit:
        return None
    return (
        f"the file is {_megabytes(size)}, over the {limit // MB:,} MB limit for a {kind} file; "
        "split it into smaller files"
    )


def check_size(size: int, kind: str, source: str) -> None:
    """Raise LimitError when a file of `size` bytes is over the limit for `kind`."""
    problem = size_problem(size, kind)
    if problem is not None:
        raise LimitError(f"{source}: {problem}. Nothing was imported.")


# --- dates ----------------------------------------------------------------------------------


def day_problem(day: dt.date) -> str | None:
    """Why a date cannot be taken (outside the supported years), or None."""
    if MIN_YEAR <= day.year <= MAX_YEAR:
        return None
    return (
        f"{day.isoformat()} is outside the years {MIN_YEAR}-{MAX_YEAR} the planner takes; "
        "check the year"
    )


def check_day(day: dt.date, where: str) -> dt.date:
    """`day` itself, or LimitError naming `where` when it is outside the supported years."""
    problem = day_problem(day)
    if problem is not None:
        raise LimitError(f"{where}: {problem}.")
    return day


# --- text -----------------------------------------------------------------------------------


def text_problem(text: str, *, max_chars: int | None = None) -> str | None:
    """Why a piece of text cannot be stored (a NUL character, too long), or None."""
    if "\x00" in text:
        return (
            "contains a NUL character (\\x00), which cannot be stored; remove it (the file may "
            "be binary or UTF-16: save it as UTF-8 text)"
        )
    if max_chars is not None and len(text) > max_chars:
        return f"is {len(text):,} characters long, over the limit of {max_chars:,}"
    return None


def any_nul(value: Any) -> bool:
    """True when a NUL character is anywhere in `value` (text, or lists and dicts of it)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return False


# --- CSV -----------------------------------------------------------------------------------


def csv_rows(
    records: list[list[str]], columns: list[str], problems: list[str]
) -> Iterator[tuple[int, dict[str, str]]]:
    """The data rows of `csv_records` (row number, header name -> stripped cell), blank rows
    skipped; a row with more non-empty cells than the header names is told to `problems`
    (by row) and skipped. Columns with an empty name are left out; missing cells are ""."""
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(columns) and any(c.strip() for c in record[len(columns) :]):
            problems.append(
                f"row {number}: {len(record)} cells but the header names {len(columns)} columns"
            )
            continue
        yield (
            number,
            {
                name: record[k].strip() if k < len(record) else ""
                for k, name in enumerate(columns)
                if name
            },
        )


def csv_records(text: str, *, max_rows: int, kind: str) -> tuple[list[list[str]], list[str]]:
    """The rows of a CSV text (the header is row 1) and the problems that stop it being read:
    more than `max_rows` rows (reading stops there), a cell over MAX_CELL_CHARS characters or
    with a NUL character (each named by row and column), or a CSV syntax error (by row)."""
    records: list[list[str]] = []
    problems: list[str] = []
    has_nul = "\x00" in text
    # strict: a quote that never closes (a truncated file) is an error, not a cell to the end
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    row = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            why = str(exc)
            if "field larger than field limit" in why:
                why = f"a cell is over the limit of {MAX_CELL_CHARS:,} characters"
            problems.append(f"row {row + 1}: not readable as CSV ({why})")
            break
        row += 1
        if row > max_rows:
            problems.append(
                f"row {row}: the file has more than {max_rows:,} rows, the limit for a {kind}; "
                "split it into smaller files"
            )
            break
        for column, cell in enumerate(record, start=1):
            if len(cell) > MAX_CELL_CHARS or (has_nul and "\x00" in cell):
                problem = text_problem(cell, max_chars=MAX_CELL_CHARS)
                problems.append(f"row {row}, column {column}: the cell {problem}")
        records.append(record)
    return records, problems


# --- JSON nesting, on the raw bytes -----------------------------------------------------------

# A JSON string (escapes included); the inside of one from where it is entered; a token.
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_IN_STRING = re.compile(rb'[^"\\]*(?:\\.[^"\\]*)*')
_TOKEN = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
_BRACKETS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


class JsonDepthGuard:
    """Counts JSON nesting over bytes fed in pieces (a string may span pieces); `feed` returns
    the 1-based line of the first bracket that goes deeper than `limit`, else None.

    The work is done in C: the regular-expression engine removes strings, `translate` keeps
    the brackets as +1/-1 bytes, and the maximum of their running sum is compared to the
    limit. Memory does not grow: a string longer than a piece is skipped, not kept.
    """

    def __init__(self, limit: int = MAX_JSON_DEPTH) -> None:
        self.limit = limit
        self.depth = 0
        self.line = 1
        self._in_string = False
        self._escape = False  # the last piece ended inside a string, on a backslash

    def feed(self, data: bytes) -> int | None:
        start = 0
        if self._in_string:
            if self._escape:
                self._escape = False
                start = 1
            end = _IN_STRING.match(data, start).end()  # type: ignore[union-attr]
            if end == len(data) or data[end] == 0x5C:  # still inside; maybe on a backslash
                self._escape = end < len(data)
                self.line += data.count(b"\n")
                return None
            start = end + 1  # after the closing quote
            self._in_string = False
        piece = data[start:] if start else data
        stripped = _STRING.sub(b"", piece) if b'"' in piece else piece
        quote = stripped.find(b'"')
        if quote >= 0:  # a string still open at the end of the piece
            open_part = len(stripped) - quote
            tail = piece[len(piece) - open_part :]
            inside = _IN_STRING.match(tail, 1).end()  # type: ignore[union-attr]
            self._in_string = True
            self._escape = inside == len(tail) - 1
            piece, stripped = piece[: len(piece) - open_part], stripped[:quote]
        brackets = stripped.translate(None, _NOT_BRACKETS)
        if brackets:
            steps = array("b", brackets.translate(_BRACKETS))
            if max(accumulate(steps, initial=self.depth)) > self.limit:
                return self._line_of_crossing(piece, self.line + data.count(b"\n", 0, start))
            self.depth += sum(steps)
        self.line += data.count(b"\n")
        return None

    def _line_of_crossing(self, piece: bytes, line: int) -> int:
        depth = self.depth
        for token in _TOKEN.finditer(piece):
            text = token.group()
            if text in (b"[", b"{"):
                depth += 1
                if depth > self.limit:
                    return line + piece.count(b"\n", 0, token.start())
            elif text in (b"]", b"}"):
                depth -= 1
        return line  # pragma: no cover - the fast count said it crosses

    def too_deep(self, line: int) -> str:
        return (
            f"line {line}: nested deeper than {self.limit} levels of arrays and objects; "
            "no statement or bundle needs that many (is it the right file?)"
        )


class DepthGuardedStream:
    """A binary stream that checks nesting as it is read; raises LimitError when too deep."""

    def __init__(self, stream: IO[bytes], source: str, limit: int = MAX_JSON_DEPTH) -> None:
        self.stream = stream
        self.source = source
        self.guard = JsonDepthGuard(limit)

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        line = self.guard.feed(data)
        if line is not None:
            raise LimitError(self.guard.too_deep(line))
        return data


def json_depth_problem(data: bytes, limit: int = MAX_JSON_DEPTH) -> str | None:
    """Why a whole JSON document is nested too deeply, or None (cheap when it is not)."""
    if data.count(b"[") + data.count(b"{") <= limit:
        return None
    guard = JsonDepthGuard(limit)
    line = guard.feed(data)
    return None if line is None else guard.too_deep(line)


__all__ = [
    "FILE_LIMITS",
    "MAX_CELL_CHARS",
    "MAX_JSON_DEPTH",
    "MAX_PATTERN_CHARS",
    "MAX_PLAN_CSV_ROWS",
    "MAX_READINGS_CSV_ROWS",
    "MAX_YAML_DEPTH",
    "MAX_YEAR",
    "MIN_YEAR",
    "UPLOAD_LIMIT_MB",
    "DepthGuardedStream",
    "DiskFullError",
    "JsonDepthGuard",
    "LimitError",
    "WriteFailedError",
    "any_nul",
    "check_day",
    "check_size",
    "csv_records",
    "day_problem",
    "disk_full_message",
    "json_depth_problem",
    "size_problem",
    "text_problem",
    "write_atomically",
    "write_failure",
    "write_output",
]
