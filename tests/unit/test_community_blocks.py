"""The Teams fast path (blocks parsed by pyarrow) gives exactly what the row reader gives: the
same figures, or the same error naming file, row and column; and it is the path taken for a
plain export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from planner.domain.privacy import opt_out_matcher, person_hash
from planner.exchange.community import CommunityFormatError, Rows, read_export, recognise
from planner.exchange.community import blocks as blocks_module
from planner.exchange.community.formats import Context
from tests.community_files import TEAMS_HEADER, Person, email, teams_export

REFRESH = dt.date(2026, 11, 29)
DAY = dt.timedelta(days=1)
KEY = b"a test key, not a secret, 32+ chars"


def people(n: int = 60) -> list[Person]:
    return [
        Person(k, None if k % 5 == 0 else REFRESH - (k % 45) * DAY, posts=k % 4, deleted=k % 7 == 0)
        for k in range(n)
    ]


def row_by_row(file: str, data: bytes, opted_out: Callable[[str], bool] | None) -> object:
    """What the row reader alone makes of the file: the export, or the error's text."""
    try:
        rows = Rows(file, data)
        return recognise(rows).read(rows, Context(file, None, opted_out))
    except CommunityFormatError as exc:
        return f"{type(exc).__name__}: {exc}"


def either(file: str, data: bytes, opted_out: Callable[[str], bool] | None) -> object:
    try:
        return read_export(file, data, opted_out=opted_out)
    except CommunityFormatError as exc:
        return f"{type(exc).__name__}: {exc}"


def cell(data: bytes, line: int, column: str, text: str) -> bytes:
    """The file with one cell of one line (the header is line 0) replaced."""
    lines = data.split(b"\r\n")
    cells = lines[line].split(b",")
    cells[TEAMS_HEADER.index(column)] = text.encode()
    lines[line] = b",".join(cells)
    return b"\r\n".join(lines)


BASE = teams_export(people(), REFRESH)
VARIANTS: dict[str, bytes] = {
    "plain": BASE,
    "lf and a bom": teams_export(people(), REFRESH, bom=True, crlf=False),
    "blank lines": BASE.replace(b"\r\n", b"\r\n\r\n", 3),
    "a row of empty cells": BASE + b"," * (len(TEAMS_HEADER) - 1) + b"\r\n",
    "a whitespace row": BASE + b"  \r\n",
    "quoted cells": cell(BASE, 3, "Tenant Display Name", '"Example, Org"'),
    "a quoted line break": cell(BASE, 3, "Tenant Display Name", '"Example\r\nOrg"'),
    "a lone carriage return": cell(BASE, 4, "Assigned Products", "E3\rE5"),
    "a carriage return before crlf": BASE.replace(b"\r\n", b"\r\r\n", 2),
    "a NUL": cell(BASE, 5, "Assigned Products", "E3\x00"),
    "latin-1": cell(BASE, 5, "Tenant Display Name", "Caf\xe9").replace(b"Caf\xc3\xa9", b"Caf\xe9"),
    "utf-8 names": cell(BASE, 5, "Tenant Display Name", "Café Ünïcode"),
    "a long cell": cell(BASE, 6, "Assigned Products", "E" * 100_001),
    "an extra blank cell": BASE.replace(b"\r\n", b",\r\n"),
    "an extra cell": cell(BASE, 7, "Report Period", "30,x"),
    "a short row": BASE + b"2026-11-29,Example Org\r\n",
    "flags in other words": cell(cell(BASE, 8, "Is Deleted", " yes"), 9, "Is Deleted", "FALSE"),
    "a bad flag": cell(BASE, 10, "Is Deleted", "maybe"),
    "a bad date on a deleted row": cell(BASE, 8, "Last Activity Date", "soon"),
    "a bad date": cell(BASE, 11, "Last Activity Date", "soon"),
    "a slash date": cell(BASE, 11, "Last Activity Date", "11/12/2026"),
    "counts in other words": cell(
        cell(BASE, 12, "Team Chat Message Count", " 007"), 13, "Team Chat Message Count", ""
    ),
    "text in a count": cell(BASE, 12, "Team Chat Message Count", "many"),
    "a refresh date in other words": cell(BASE, 14, "Report Refresh Date", " 2026-11-29"),
    "another refresh date": cell(BASE, 14, "Report Refresh Date", "2026-11-28"),
    "another period": cell(BASE, 15, "Report Period", "7"),
    "a bad period": cell(BASE, 1, "Report Period", "0"),
    "an empty principal name": cell(BASE, 16, "User Principal Name", "  "),
    "a spaced, capitalised principal name": cell(
        BASE, 17, "User Principal Name", "  PERSON0002@Example.org "
    ),
    "only a header": BASE.split(b"\r\n", 1)[0] + b"\r\n",
}


@pytest.mark.parametrize("opt_out", [False, True], ids=["nobody opted out", "opt-outs"])
@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_read_export_equals_the_row_reader(name: str, opt_out: bool) -> None:
    data = VARIANTS[name]
    listed = [person_hash(email(k), KEY) for k in (1, 2, 3, 8)]
    matcher = opt_out_matcher(KEY, listed) if opt_out else None
    assert either("t.csv", data, matcher) == row_by_row("t.csv", data, matcher)


def test_blocks_across_a_big_file_give_the_row_readers_figures(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(blocks_module, "BLOCK_BYTES", 4096)  # many blocks
    data = teams_export(people(3_000), REFRESH)
    matcher = opt_out_matcher(KEY, [person_hash(email(k), KEY) for k in range(0, 3000, 11)])
    fast = read_export("t.csv", data, opted_out=matcher)
    assert fast == row_by_row("t.csv", data, matcher)
    assert fast.opted_out > 200
    bad = cell(data, 2_900, "Last Activity Date", "soon")
    with pytest.raises(CommunityFormatError, match=r"t\.csv, row 2,901, column 'Last Activity"):
        read_export("t.csv", bad, opted_out=matcher)


def test_a_plain_export_is_read_in_blocks_not_row_by_row(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_rows(self: Rows) -> object:
        raise AssertionError("read row by row")

    monkeypatch.setattr(Rows, "__iter__", no_rows)
    export = read_export("t.csv", BASE)
    assert export.rows == 60
    with pytest.raises(AssertionError, match="row by row"):
        read_export("t.csv", VARIANTS["quoted cells"])  # quotes: the row reader reads it


def test_opt_out_flags_equal_the_matcher_one_by_one() -> None:
    identifiers = [
        "ada@example.org",
        "  Ada@Example.ORG ",
        "mailto:ada@example.org",
        "bob@example.org",
        "",
        "   ",
        "https://id.example.org|ada",
        "account:https://id.example.org/|ada",
        "a|b@example.org",
        "0123456789abcdef0123456789abcdef01234567",
        "élodie@exemple.fr",
        "ÉLODIE@EXEMPLE.FR",
    ]
    listed = [person_hash(i, KEY) for i in ("ada@example.org", "élodie@exemple.fr", "x|ada")]
    matcher = opt_out_matcher(KEY, listed)
    assert matcher.flags(identifiers) == [
        bool(i.strip()) and matcher(i.strip()) for i in identifiers
    ]
    assert matcher.flags(identifiers)[:4] == [True, True, True, False]
    assert opt_out_matcher(KEY, []).flags(identifiers) == [False] * len(identifiers)
