"""Reading a community tool's CSV export row by row: decoding, the header, cell values, errors.

Bytes in, rows out, one row at a time (a 100,000-person export never sits in memory as a
table). UTF-8 with or without a byte order mark (Microsoft's exports have one), CRLF or LF line
ends, quoted cells with commas and line breaks (the csv module). Rows are numbered as a
spreadsheet shows them: the header is row 1.

Values are parsed per column kind, and a bad cell raises CommunityFormatError naming the file,
row and column. Messages quote a cell only from columns that cannot identify a person (dates,
numbers, yes/no): a name, e-mail address, user id or principal name is never repeated back.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO

from planner.errors import ImportFormatError

MAX_CELL_CHARS = 100_000
"""The longest cell read (the csv module's field limit); a longer one is refused."""

MAX_LINE_BYTES = 1_000_000
"""The longest line read; a longer one is refused (no export has lines anywhere near it)."""

csv.field_size_limit(MAX_CELL_CHARS)


class CommunityFormatError(ImportFormatError):
    """A tool export that cannot be read: nothing was imported. The message names the file and,
    where it applies, the row (header = row 1) and column."""

    def __init__(
        self, file: str, message: str, *, row: int | None = None, column: str | None = None
    ) -> None:
        self.file, self.row, self.column = file, row, column
        where = file
        if row is not None:
            where += f", row {row:,}"
        if column is not None:
            where += f", column '{column}'"
        super().__init__(f"{where}: {message.rstrip('.')}. Nothing was imported.")


class UnknownFormatError(CommunityFormatError):
    """The header matches none of the formats: the message says which were tried and what the
    header lacks for the closest ones."""


@dataclass(frozen=True)
class Window:
    """The days a file's figures cover, both inclusive."""

    start: dt.date
    end: dt.date

    @classmethod
    def ending(cls, end: dt.date, days: int) -> Window:
        return cls(end - dt.timedelta(days=days - 1), end)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    def describe(self) -> str:
        return f"{self.days:,} days to {self.end.day} {self.end:%b %Y}"


def normalise(name: str) -> str:
    """A column name as compared: no BOM, trimmed, inner spaces collapsed, casefolded."""
    return " ".join(name.replace("\ufeff", "").split()).casefold()


class Rows:
    """The header and an iterator over the data rows of one CSV export (read once)."""

    PROGRESS_EVERY = 10_000
    """Rows between two calls of `on_progress`."""

    def __init__(
        self,
        file: str,
        data: bytes | IO[bytes],
        *,
        on_progress: Callable[[int], None] | None = None,
    ) -> None:
        self.file = file
        self.on_progress = on_progress
        stream: IO[bytes] = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
        self.line = 0
        self._stream = self.stream = stream
        self._text = self._lines(stream)
        self._feed = _Feed(self._text)
        self._reader = csv.reader(self._feed)
        self.row = 1
        header = self._next()
        if header is None or not any(cell.strip() for cell in header):
            raise CommunityFormatError(file, "the file is empty: no header row")
        self.header = [cell.replace("\ufeff", "").strip() for cell in header]
        self.index: dict[str, int] = {}
        for k, name in enumerate(self.header):
            self.index.setdefault(normalise(name), k)

    def _lines(self, stream: IO[bytes]) -> Iterator[str]:
        """The file's lines as text, decoded one at a time (so a bad byte names its line)."""
        while raw := stream.readline(MAX_LINE_BYTES + 1):
            self.line += 1
            if len(raw) > MAX_LINE_BYTES:
                raise self._too_long()
            if self.line == 1:
                if raw[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
                    raise CommunityFormatError(
                        self.file,
                        "saved as UTF-16 text; export it again from the tool, or save it as "
                        "CSV UTF-8",
                    )
                raw = raw.removeprefix(codecs.BOM_UTF8)
            if b"\x00" in raw:
                raise self._nul()
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                raise self._not_utf8() from None

    def _nul(self) -> CommunityFormatError:
        return CommunityFormatError(
            self.file,
            f"line {self.line:,} holds a NUL character; this is not a tool's CSV export "
            "(export the file again)",
        )

    def _too_long(self) -> CommunityFormatError:
        return CommunityFormatError(
            self.file,
            f"line {self.line:,} is longer than {MAX_LINE_BYTES:,} bytes; this is not a tool's "
            "CSV export",
        )

    def _not_utf8(self) -> CommunityFormatError:
        return CommunityFormatError(
            self.file,
            f"line {self.line:,} is not UTF-8 text; export the file again, or save it as CSV UTF-8",
        )

    def _next(self) -> list[str] | None:
        """The next record. A line without a quote is split at its commas (what the csv module
        would make of it, faster); one with quotes goes through the csv module, which reads on
        while a quoted cell spans lines."""
        try:
            line = next(self._text)
            if '"' not in line:
                return line.rstrip("\r\n").split(",")
            self._feed.pushed = line
            return next(self._reader)
        except StopIteration:
            return None
        except csv.Error as exc:
            raise CommunityFormatError(
                self.file, f"not a readable CSV row ({exc})", row=self.row
            ) from None

    def has(self, column: str) -> bool:
        return normalise(column) in self.index

    def column(self, name: str) -> int:
        return self.index[normalise(name)]

    def first_of(self, *names: str) -> int | None:
        for name in names:
            if self.has(name):
                return self.column(name)
        return None

    def __iter__(self) -> Iterator[list[str]]:
        """Data rows with at least `len(header)` cells (short rows padded); blank rows skipped.
        `self.row` is the spreadsheet row number of the row last yielded. The common line (no
        quote) is read and split here without a function call: this loop runs once per person.
        """
        width = len(self.header)
        feed, reader = self._feed, self._reader
        readline, limit = self._stream.readline, MAX_LINE_BYTES + 1
        progress, every = self.on_progress, self.PROGRESS_EVERY
        while True:
            raw = readline(limit)
            if not raw:
                return
            self.line += 1
            if len(raw) > MAX_LINE_BYTES:
                raise self._too_long()
            if b"\x00" in raw:
                raise self._nul()
            try:
                line = raw.decode()
            except UnicodeDecodeError:
                raise self._not_utf8() from None
            if '"' in line:
                feed.pushed = line
                try:
                    record = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    raise CommunityFormatError(
                        self.file, f"not a readable CSV row ({exc})", row=self.row + 1
                    ) from None
            else:
                record = line.rstrip("\r\n").split(",")
            self.row += 1
            if len(raw) > MAX_CELL_CHARS:
                for k, cell in enumerate(record):
                    if len(cell) > MAX_CELL_CHARS:
                        raise self.error(
                            f"{len(cell):,} characters, more than the {MAX_CELL_CHARS:,} a cell "
                            "may hold; this is not a tool's CSV export",
                            k if k < len(self.header) else None,
                        )
            if progress is not None and (self.row - 1) % every == 0:
                progress(self.row - 1)
            if len(record) != width:
                if len(record) > width and any(c.strip() for c in record[width:]):
                    raise CommunityFormatError(
                        self.file,
                        f"{len(record)} cells but the header names {width} columns",
                        row=self.row,
                    )
                record = record[:width] + [""] * (width - len(record))
            if not record[0].strip() and not "".join(record).strip():
                continue
            yield record

    def error(self, message: str, column: int | None = None) -> CommunityFormatError:
        name = self.header[column] if column is not None else None
        return CommunityFormatError(self.file, message, row=self.row, column=name)


class _Feed:
    """The csv module's input: the line pushed back, else the next line of the file."""

    def __init__(self, lines: Iterator[str]) -> None:
        self.lines = lines
        self.pushed: str | None = None

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        if self.pushed is not None:
            line, self.pushed = self.pushed, None
            return line
        return next(self.lines)


# --- cell values --------------------------------------------------------------------------------

_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?")
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {m: k for k, m in enumerate(_MONTH_NAMES, 1)}
_NAMED_MONTH = re.compile(r"([A-Za-z]{3,9})\.? (\d{1,2}), (\d{4})")
_DAY_MONTH = re.compile(r"(\d{1,2}) ([A-Za-z]{3,9})\.? (\d{4})")
_INTEGER = re.compile(r"\d+")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_TRUE = frozenset({"true", "yes"})
_FALSE = frozenset({"false", "no"})


def parse_day(text: str) -> dt.date | None:
    """A vendor's date: `2026-11-29` (Microsoft Graph, Discourse; a time after it is ignored,
    as in `2026-11-29 10:15:00 UTC`), `Nov 29, 2026` (Slack) or `29 Nov 2026`. None if it is
    none of these. Slash dates are refused: 11/12/2026 is a different day in different
    countries."""
    m = _ISO_DAY.fullmatch(text)
    try:
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        m = _NAMED_MONTH.fullmatch(text)
        if m and m[1][:3].casefold() in _MONTHS:
            return dt.date(int(m[3]), _MONTHS[m[1][:3].casefold()], int(m[2]))
        m = _DAY_MONTH.fullmatch(text)
        if m and m[2][:3].casefold() in _MONTHS:
            return dt.date(int(m[3]), _MONTHS[m[2][:3].casefold()], int(m[1]))
    except ValueError:
        return None
    return None


class Cells:
    """Typed cell values of the current row, with errors naming row and column. Dates are
    cached by their text (an export has few distinct dates and many rows)."""

    def __init__(self, rows: Rows) -> None:
        self.rows = rows
        self._days: dict[str, dt.date | None] = {}
        self._within: dict[str, bool] = {}

    def within(self, record: Sequence[str], k: int, window: Window) -> bool:
        """Whether the optional date in the cell falls inside `window` (one window per file;
        cached by the cell's text)."""
        text = record[k]
        hit = self._within.get(text)
        if hit is None:
            hit = self._within[text] = self.day(record, k, optional=True) in window
        return hit

    def positive(self, record: Sequence[str], k: int) -> bool:
        """Whether the whole number in the cell is above 0 (empty is 0)."""
        text = record[k]
        return text != "0" and text != "" and self.count(record, k) > 0

    def day(self, record: Sequence[str], k: int, *, optional: bool = False) -> dt.date | None:
        text = record[k].strip()
        if not text:
            if optional:
                return None
            raise self.rows.error("empty; a date is needed here", k)
        if text in self._days:
            day = self._days[text]
        else:
            day = self._days[text] = parse_day(text)
        if day is None:
            hint = (
                " (dates like 11/12/2026 mean different days in different countries; export "
                "the file again instead of re-saving it in a spreadsheet)"
                if "/" in text
                else " (expected e.g. 2026-11-29)"
            )
            raise self.rows.error(f"'{text[:40]}' is not a date{hint}", k)
        return day

    def count(self, record: Sequence[str], k: int) -> int:
        text = record[k].strip()
        if _INTEGER.fullmatch(text):
            return int(text)
        if not text:
            return 0
        hint = " (no thousands separators)" if "," in text else ""
        raise self.rows.error(f"'{text[:40]}' is not a whole number{hint}", k)

    def number(self, record: Sequence[str], k: int) -> float:
        text = record[k].strip()
        if _NUMBER.fullmatch(text):
            return float(text)
        raise self.rows.error(f"'{text[:40]}' is not a number", k)

    def flag(self, record: Sequence[str], k: int) -> bool:
        text = record[k]
        if text == "False":
            return False
        if text == "True":
            return True
        text = text.strip().casefold()
        if text in _TRUE:
            return True
        if text in _FALSE or not text:
            return False
        raise self.rows.error(f"'{text[:40]}' is not True or False", k)
