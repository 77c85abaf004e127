"""Spreadsheet-safe CSV cells: formula neutralisation, numbers, quoting, exact bytes."""

from __future__ import annotations

import csv
import io
import random
from datetime import date

import pytest

from planner.exchange.csvsafe import (
    BOM,
    FORMULA_PREFIXES,
    cell,
    csv_bytes,
    csv_line,
    field,
    fields,
    neutralise,
)


@pytest.mark.parametrize(
    "text",
    [
        "=1+2",
        '=HYPERLINK("http://x.example","click")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A3)",
        "\t=1+2",
        "\r=1+2",
        "-",
        "+",
        "-inf",
        "- buy milk",
    ],
)
def test_text_a_spreadsheet_would_run_gets_a_leading_quote(text: str) -> None:
    assert neutralise(text) == "'" + text
    assert cell(text) == "'" + text


def test_every_formula_prefix_is_covered() -> None:
    assert {"=", "+", "-", "@", "\t", "\r"} == FORMULA_PREFIXES
    for prefix in FORMULA_PREFIXES:
        assert neutralise(prefix + "x") == "'" + prefix + "x"


@pytest.mark.parametrize("text", ["-3", "+2", "1.5", "-1.5", "-.5", "-2e3", "+1E-4", "12"])
def test_plain_numbers_written_as_text_stay_numbers(text: str) -> None:
    assert neutralise(text) == text


@pytest.mark.parametrize("text", ["", "Peer circles", "a=b", "3-2", " =1", "'quoted", "Ünïcode"])
def test_other_text_is_unchanged(text: str) -> None:
    assert neutralise(text) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (-3, "-3"),
        (-3.0, "-3"),
        (1.5, "1.5"),
        (-1.5, "-1.5"),
        (12.0, "12"),
        (0.1 + 0.2, "0.30000000000000004"),
        (1e20, "1e+20"),
        (None, ""),
        (True, "true"),
        (date(2027, 1, 11), "2027-01-11"),
    ],
)
def test_values_become_plain_cell_text(value: object, text: str) -> None:
    assert cell(value) == text


@pytest.mark.parametrize(
    "values",
    [
        ["plain", "with,comma", 'with "quotes"', "line\nbreak", "cr\rhere", "crlf\r\n", ""],
        ["", "", ""],
        [""],
        ["=1+2", "-3", "@x", " leading space", "trailing space ", "tab\tinside"],
        ["Ünïcode — ✓", "日本語", "emoji 🎉"],
    ],
)
def test_lines_are_quoted_exactly_as_csv_writer_quotes(values: list[str]) -> None:
    expected = io.StringIO()
    csv.writer(expected, lineterminator="\r\n").writerow([cell(v) for v in values])
    assert csv_line(values) + "\r\n" == expected.getvalue()


def test_a_quoted_field_reads_back_as_the_neutralised_text() -> None:
    text = '=cmd|"/C calc",x'
    [row] = csv.reader(io.StringIO(field(text)))
    assert row == ["'" + text]


def test_csv_bytes_use_crlf_on_every_line_and_a_bom_only_for_excel() -> None:
    plain = csv_bytes(["a", "b"], [["1", "x"], ["2", "multi\nline"]])
    assert plain == b'a,b\r\n1,x\r\n2,"multi\nline"\r\n'
    excel = csv_bytes(["a", "b"], [["1", "x"], ["2", "multi\nline"]], excel=True)
    assert excel == BOM + plain
    assert excel.startswith(b"\xef\xbb\xbf")
    assert excel.decode("utf-8-sig") == plain.decode("utf-8")


@pytest.mark.parametrize(
    "values",
    [
        [],
        ["it_1", "it_2", "it_1", ""],  # plain text: each value is its own field
        ["Peer circles", "a=b", " =1", "3-2", "'quoted", "Ünïcode", ""],
        ["plain", "with,comma", 'with "quotes"', "line\nbreak", "cr\rhere", "crlf\r\n"],
        ["plain", "=1+2", "-3", "-x", "+2", "@x", "\tx", "\r", "-"],
        ["a\n=b", "a\n-3", "x"],  # a formula after a line break inside a value
        [None, "", 0, 1, 1.0, -0.0, 2.5, float("nan"), date(2027, 1, 11), "12"],
        [True, 1, False, 0, 1.0, None, True],  # True == 1, but they are written differently
        [1, True, 0.0, False],
    ],
)
def test_fields_formats_a_column_as_field_formats_each_value(values: list[object]) -> None:
    assert fields(values) == [field(v) for v in values]
    assert fields(tuple(values)) == [field(v) for v in values]


def test_fields_of_random_text_match_field() -> None:
    rnd = random.Random(11)
    alphabet = ["a", "1", ".", "e", "-", "+", "=", "@", "\t", "\r", "\n", ",", '"', " ", "'"]
    for _ in range(2_000):
        values = ["".join(rnd.choices(alphabet, k=rnd.randint(0, 4))) for _ in range(5)]
        assert fields(values) == [field(v) for v in values], values
