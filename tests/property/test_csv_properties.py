"""CSV round trips and formula safety.

- csvsafe: any values written as CSV read back (csv module) as `cell(value)`; no cell starts
  with a formula trigger unless it is a plain number or neutralised (a leading `'` then the
  text as it was); the column fast path (`fields`) writes what `field` writes; lines are what
  csv.writer writes.
- plan CSV: rows a plain CSV writer wrote (any text, owners by name in any case, dates,
  durations, statuses, hours) import as the same items; written by the product's own writer
  (csvsafe), text a spreadsheet would run comes back with its leading `'`, as documented.
- readings CSV: generated readings (any note) written as CSV parse back to the same readings.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from hypothesis import example, given
from hypothesis import strategies as st

from planner.domain.planning import ITEM_STATUSES, Person, PlanItem
from planner.domain.playbook import Metric
from planner.exchange.csvsafe import (
    FORMULA_PREFIXES,
    cell,
    csv_bytes,
    csv_line,
    field,
    fields,
    format_number,
    neutralise,
)
from planner.exchange.plan_csv import parse_plan_csv
from planner.exchange.readings_csv import parse_readings_csv
from tests.integration.conftest import build_tactic
from tests.property.conftest import examples
from tests.property.strategies import any_text, short, some_text

values = st.one_of(
    st.none(),
    any_text,
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(date(1900, 1, 1), date(2999, 12, 31)),
)


def read(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def safe(text: str) -> bool:
    """A cell a spreadsheet will not run: no trigger first, or a plain number, or neutralised."""
    return not text or text[0] not in FORMULA_PREFIXES or neutralise(text) == text


@examples(300)
@given(st.lists(st.lists(values, min_size=1, max_size=5), min_size=1, max_size=6), st.booleans())
@example([["=1+2", "-3", "+x", "@a", "\tb", "\rc", 1.5, None, True]], False)
def test_csv_cells_read_back_as_written_and_never_run(
    rows: list[list[object]], excel: bool
) -> None:
    width = max(len(r) for r in rows)
    rows = [r + [None] * (width - len(r)) for r in rows]
    header = [f"c{k}" for k in range(width)]
    data = csv_bytes(header, rows, excel=excel)
    assert data.startswith(b"\xef\xbb\xbf") == excel
    back = read(data)
    assert back[0] == header
    assert back[1:] == [[cell(v) for v in r] for r in rows]
    for row, written in zip(back[1:], rows, strict=True):
        for text, value in zip(row, written, strict=True):
            assert safe(text), text
            if isinstance(value, str) and text != value:
                assert text == "'" + value and value[0] in FORMULA_PREFIXES
    # One column at a time (the fast path) writes what one cell at a time writes.
    for k in range(width):
        column = [r[k] for r in rows]
        assert fields(column) == [field(v) for v in column]
    # Lines as csv.writer writes them (minimal quoting, \r\n).
    for row in rows:
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerow([cell(v) for v in row])
        assert csv_line(row) + "\r\n" == out.getvalue()


@examples(300)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_numbers_read_back_exactly(value: float) -> None:
    text = format_number(value)
    assert float(text) == value and safe(text)


# --- plan CSV -------------------------------------------------------------------------------

TACTICS = {"peer-circles": build_tactic("peer-circles", duration_weeks=8)}
COLUMNS = ("tactic", "title", "owner", "team", "audience", "start", "duration_weeks", "status")
COLUMNS += ("notes", "effort_hours_per_week")
names = short(some_text, 150).filter(lambda s: "@" not in s)


@st.composite
def plan_rows(draw: st.DrawFn) -> tuple[list[Person], list[dict[str, str]]]:
    people_names = draw(st.lists(names, max_size=3, unique_by=lambda s: s.strip().casefold()))
    people = [Person(id=f"pe_{k}", name=n) for k, n in enumerate(people_names)]
    rows = []
    for _ in range(draw(st.integers(1, 5))):
        tactic = draw(st.sampled_from(["", "peer-circles"]))
        title = draw(short(some_text if not tactic else any_text, 250))
        owner = draw(st.sampled_from(["", *(p.name for p in people)]))
        if owner and draw(st.booleans()):
            swapped = owner.swapcase()  # names match ignoring case
            owner = swapped if swapped.casefold() == owner.casefold() else owner
        start = draw(st.none() | st.dates(date(1900, 1, 1), date(2999, 12, 31)))
        rows.append(
            {
                "tactic": tactic,
                "title": title,
                "owner": owner,
                "team": draw(short(any_text, 150)),
                "audience": draw(short(any_text, 150)),
                "start": "" if start is None else start.isoformat(),
                "duration_weeks": draw(st.sampled_from(["", "1", "12", "520", "3.0"])),
                "status": draw(st.sampled_from(["", *ITEM_STATUSES, "Done", "IN PROGRESS"])),
                "notes": draw(any_text),
                "effort_hours_per_week": draw(st.sampled_from(["", "0", "1.5", "2,5", "40"])),
            }
        )
    return people, rows


def _expected(row: dict[str, str], people: list[Person], position: int) -> dict[str, object]:
    """What the documented columns say the item is."""
    owner = row["owner"].strip()
    owner_id = next((p.id for p in people if p.name.casefold() == owner.casefold()), None)
    weeks = row["duration_weeks"].strip()
    effort = row["effort_hours_per_week"].strip().replace(",", ".")
    tactic = TACTICS.get(row["tactic"])
    return {
        "tactic_id": tactic.id if tactic else None,
        "title": row["title"].strip() or (tactic.title if tactic else ""),
        "owner_id": owner_id if owner else None,
        "team": row["team"].strip(),
        "audience": row["audience"].strip(),
        "pinned_start": date.fromisoformat(row["start"]) if row["start"] else None,
        "duration_weeks": int(float(weeks)) if weeks else (tactic.duration_weeks if tactic else 4),
        "status": row["status"].strip().casefold() or "planned",
        "notes": row["notes"].strip(),
        "effort_hours_per_week": float(effort) if effort else None,
        "position": position,
    }


def _items(people: list[Person], data: bytes) -> list[PlanItem]:
    return parse_plan_csv(data, tactics=TACTICS, people=people, plan_id="pl_x", first_position=3)


@examples(150)
@given(plan_rows())
def test_a_plan_csv_imports_as_the_items_its_rows_describe(
    planned: tuple[list[Person], list[dict[str, str]]],
) -> None:
    people, rows = planned
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows([[row[c] for c in COLUMNS] for row in rows])
    for data in (out.getvalue().encode(), b"\xef\xbb\xbf" + out.getvalue().encode()):
        items = _items(people, data)
        assert len(items) == len(rows)
        for k, (item, row) in enumerate(zip(items, rows, strict=True)):
            got = {key: getattr(item, key) for key in _expected(row, people, 0)}
            assert got == _expected(row, people, 3 + k)

    # The product's own writer: text a spreadsheet would run keeps its leading quote.
    # (Owners are left out: a name such as "+1 Team" would no longer name the person.)
    shown = [c for c in COLUMNS if c != "owner"]
    written = csv_bytes(shown, [[row[c] for c in shown] for row in rows], excel=True)
    for item, row in zip(_items(people, written), rows, strict=True):
        assert item.notes == neutralise(row["notes"]).strip()
        assert item.team == neutralise(row["team"]).strip()


# --- readings CSV ---------------------------------------------------------------------------


def _metric(metric_id: str, cadence: str) -> Metric:
    return Metric(
        id=metric_id,
        name=metric_id.capitalize(),
        unit="sessions",
        aggregation="latest",
        direction="higher",
        target=10.0,
        cadence=cadence,
        definition="Counted every period by whoever runs the item, from the sign-up sheet.",
        framework="value-immediate",
    )


ITEMS = [
    PlanItem(
        id="it_a",
        plan_id="pl_x",
        title="A",
        duration_weeks=10,
        custom_metrics=[_metric("weekly-m", "weekly"), _metric("monthly-m", "monthly")],
    ),
    PlanItem(
        id="it_b",
        plan_id="pl_x",
        title="B",
        duration_weeks=4,
        custom_metrics=[_metric("once-m", "once")],
    ),
]
KEYS = [(i.id, m.id) for i in ITEMS for m in i.metrics]


@st.composite
def reading_rows(draw: st.DrawFn) -> list[tuple[str, str, date, float, str]]:
    rows = []
    for _ in range(draw(st.integers(1, 8))):
        item_id, metric_id = draw(st.sampled_from(KEYS))
        day = date(2027, 1, 4) + timedelta(days=draw(st.integers(0, 700)))
        value = draw(st.floats(-1e9, 1e9, allow_nan=False) | st.integers(0, 500).map(float))
        rows.append((item_id, metric_id, day, value, draw(any_text)))
    return rows


@examples(150)
@given(reading_rows())
def test_readings_written_as_csv_parse_back_as_the_same_readings(
    rows: list[tuple[str, str, date, float, str]],
) -> None:
    from planner.domain.periods import period_of

    metrics = {(i.id, m.id): m for i in ITEMS for m in i.metrics}
    seen: set[tuple[str, str, str]] = set()
    kept = []
    for row in rows:  # one reading per item, metric and period
        key = (row[0], row[1], period_of(row[2], metrics[row[:2]].cadence).key)
        if key not in seen:
            seen.add(key)
            kept.append(row)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["item", "metric", "date", "value", "note", "item title"])
    for item_id, metric_id, day, value, note in kept:
        writer.writerow([item_id, metric_id, day.isoformat(), format_number(value), note, note])
    parsed = parse_readings_csv(out.getvalue().encode(), ITEMS)
    assert [tuple(r) for r in parsed] == [(i, m, d, v, n.strip()) for i, m, d, v, n in kept]
