"""The review CSV writer: columns, rows per item and metric, safety and deterministic bytes."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date

from planner.domain.planning import PlanItem, Target, item_from_tactic
from planner.domain.playbook import Metric
from planner.domain.schedule import ScheduleItem, compute_schedule
from planner.exchange.csvsafe import encode_lines, field
from planner.exchange.review_csv import (
    REVIEW_COLUMNS,
    Column,
    ItemColumn,
    MetricColumn,
    ReviewItem,
    ReviewMetric,
    review_csv_bytes,
    review_items,
)
from tests.integration.conftest import _metric, build_tactic

HEADER = [
    "item id",
    "tactic",
    "category",
    "owner",
    "team",
    "start",
    "end",
    "item status",
    "notes",
    "metric",
    "target",
]


def _item(
    item_id: str = "it_1", metrics: tuple[ReviewMetric, ...] = (), **kw: object
) -> ReviewItem:
    values: dict[str, object] = {
        "id": item_id,
        "title": "Peer circles",
        "tactic_id": "peer-circles",
        "category": "community",
        "owner": "Dana Whitfield",
        "team": "Tier 2",
        "start": date(2027, 1, 11),
        "last_day": date(2027, 3, 7),
        "status": "in progress",
        "notes": "",
        "metrics": metrics,
    }
    values.update(kw)
    return ReviewItem(**values)  # type: ignore[arg-type]


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


MEMBERS = ReviewMetric("members", "Members", "people", 12.0)
SESSIONS = ReviewMetric("sessions", "Sessions held", "sessions", None)


def test_the_header_is_exactly_the_issue_s_columns() -> None:
    assert [c.header for c in REVIEW_COLUMNS] == HEADER
    assert _rows(review_csv_bytes([])) == [HEADER]


def test_one_row_per_item_and_metric_and_one_for_an_item_without_metrics() -> None:
    items = [
        _item("it_a", (MEMBERS, SESSIONS)),
        _item("it_b", (), title="Custom work", category="custom", owner="", tactic_id=None),
        _item("it_c", (MEMBERS,), notes="Going well"),
    ]
    rows = _rows(review_csv_bytes(items))[1:]
    assert [(r[0], r[9], r[10]) for r in rows] == [
        ("it_a", "Members", "12"),
        ("it_a", "Sessions held", ""),
        ("it_b", "", ""),
        ("it_c", "Members", "12"),
    ]
    assert rows[0] == [
        "it_a",
        "Peer circles",
        "community",
        "Dana Whitfield",
        "Tier 2",
        "2027-01-11",
        "2027-03-07",
        "in progress",
        "",
        "Members",
        "12",
    ]
    assert rows[2][1:9] == ["Custom work", "custom", "", "Tier 2", *rows[2][5:9]]


def test_user_text_is_neutralised_but_numbers_stay_numbers() -> None:
    items = [
        _item(
            "it_a",
            (ReviewMetric("m", "@metric", "x", -3.0), ReviewMetric("n", "=n", "x", 1.5)),
            title='=HYPERLINK("http://evil.example")',
            owner="+Owner",
            team="-team",
            notes="\t=1+2",
        )
    ]
    [row1, row2] = _rows(review_csv_bytes(items))[1:]
    assert row1[1] == '\'=HYPERLINK("http://evil.example")'
    assert row1[3:5] == ["'+Owner", "'-team"]
    assert row1[8] == "'\t=1+2"
    assert (row1[9], row1[10]) == ("'@metric", "-3")
    assert (row2[9], row2[10]) == ("'=n", "1.5")


def test_notes_with_commas_quotes_and_line_breaks_survive() -> None:
    notes = 'Asked "why", twice;\nthen agreed'
    data = review_csv_bytes([_item(notes=notes)])
    assert _rows(data)[1][8] == notes
    assert b'"Asked ""why"", twice;\nthen agreed"' in data


def test_bytes_are_crlf_utf8_and_excel_adds_only_a_bom() -> None:
    items = [_item("it_a", (MEMBERS,), owner="Zoë Ångström")]
    plain = review_csv_bytes(items)
    excel = review_csv_bytes(items, excel=True)
    assert excel == b"\xef\xbb\xbf" + plain
    assert not plain.startswith(b"\xef\xbb\xbf")
    assert plain.count(b"\r\n") == 2 and plain.endswith(b"\r\n")
    assert b"\n" not in plain.replace(b"\r\n", b"")
    assert "Zoë Ångström".encode() in plain


def test_the_same_items_give_the_same_bytes() -> None:
    items = [_item("it_a", (MEMBERS, SESSIONS)), _item("it_b", notes="x")]
    first = review_csv_bytes(items)
    assert review_csv_bytes(list(items)) == first
    assert review_csv_bytes([replace_item(i) for i in items]) == first


def replace_item(item: ReviewItem) -> ReviewItem:
    return item._replace(metrics=tuple(m._replace() for m in item.metrics))


def test_a_column_is_added_with_one_line() -> None:
    columns = (
        *REVIEW_COLUMNS,
        MetricColumn("unit", lambda item, metric: metric.unit),
        ItemColumn("tactic id", lambda item: item.tactic_id),
    )
    rows = _rows(review_csv_bytes([_item("it_a", (MEMBERS,)), _item("it_b")], columns=columns))
    assert rows[0] == [*HEADER, "unit", "tactic id"]
    assert rows[1][-2:] == ["people", "peer-circles"]
    assert rows[2][-2:] == ["", "peer-circles"]


def cell_by_cell(items: list[ReviewItem], columns: tuple[Column, ...]) -> bytes:
    """The CSV written the plain way, one cell at a time: what review_csv_bytes must match."""
    lines = [",".join(field(c.header) for c in columns)]
    for item in items:
        for metric in item.metrics or (None,):
            cells = [
                field(c.value(item))
                if isinstance(c, ItemColumn)
                else ("" if metric is None else field(c.value(item, metric)))
                for c in columns
            ]
            lines.append(",".join(cells))
    return encode_lines(lines)


def test_any_columns_in_any_order_give_the_cells_one_by_one_would() -> None:
    items = [
        _item("it_a", (MEMBERS, SESSIONS), notes='Said "yes", then\nno'),
        _item("it_b", (), title="=Custom", category="custom", owner="", tactic_id=None),
        _item("it_c", (ReviewMetric("m", "-members", "x", -0.0),), owner="+Owner"),
        _item("it_d", ()),
    ]
    unit = MetricColumn("unit", lambda item, metric: metric.unit)
    done = ItemColumn("done", lambda item: item.status == "done")  # bools among other values
    layouts: list[tuple[Column, ...]] = [
        REVIEW_COLUMNS,
        (REVIEW_COLUMNS[9], *REVIEW_COLUMNS[:9], REVIEW_COLUMNS[10]),  # a metric column first
        (REVIEW_COLUMNS[0], unit, REVIEW_COLUMNS[1], REVIEW_COLUMNS[10], done),  # interleaved
        (unit, REVIEW_COLUMNS[10]),  # metric columns only
        (REVIEW_COLUMNS[0],),  # one item column
    ]
    for columns in layouts:
        for some in (items, items[:1], items[1:2], items[3:] * 2):
            assert review_csv_bytes(some, columns=columns) == cell_by_cell(some, columns)


def test_a_column_with_true_and_1_writes_each_as_it_is() -> None:
    flag = MetricColumn("flag", lambda item, metric: True if metric.id == "m" else 1)
    items = [
        _item(
            "it_a",
            (ReviewMetric("m", "M", "x", 1.0), ReviewMetric("n", "N", "x", 1.0)),
        )
    ]
    rows = _rows(review_csv_bytes(items, columns=(REVIEW_COLUMNS[0], flag)))
    assert rows[1:] == [["it_a", "true"], ["it_a", "1"]]


# --- from plan records and a computed schedule ---------------------------------------------


def test_review_items_follow_plan_order_schedule_dates_and_metric_order() -> None:
    first = build_tactic("kickoff", duration_weeks=2)
    second = build_tactic("peer-circles", prerequisites=["kickoff"], duration_weeks=4)
    late = item_from_tactic(second, plan_id="pl_1", position=1, owner_id="pe_dana", item_id="it_b")
    late = replace(late, targets=[Target("sessions-held", 6.0)])  # no target for members
    items: list[PlanItem] = [
        late,
        item_from_tactic(first, plan_id="pl_1", position=0, item_id="it_a"),
        PlanItem(
            id="it_c",
            plan_id="pl_1",
            position=2,
            title="-Custom",
            duration_weeks=1,
            pinned_start=date(2027, 2, 1),
            custom_metrics=[Metric.model_validate(_metric("guides", target=3.0))],
            targets=[Target("guides", 2.5)],
        ),
    ]
    schedule = compute_schedule(
        date(2027, 1, 4),
        [
            ScheduleItem(
                item_id=i.id,
                title=i.title,
                tactic_id=i.tactic_id,
                category="",
                prerequisites=tuple(i.snapshot.prerequisites) if i.snapshot else (),
                duration_weeks=i.duration_weeks,
                pinned_start=i.pinned_start,
            )
            for i in items
        ],
    )
    found = review_items(items, schedule, {"pe_dana": "Dana Whitfield"})
    assert [i.id for i in found] == ["it_a", "it_b", "it_c"]
    assert (found[0].start, found[0].last_day) == (date(2027, 1, 4), date(2027, 1, 17))
    assert (found[1].start, found[1].last_day) == (date(2027, 1, 18), date(2027, 2, 14))
    assert (found[2].start, found[2].last_day) == (date(2027, 2, 1), date(2027, 2, 7))
    assert found[1].owner == "Dana Whitfield" and found[0].owner == ""
    assert [(m.id, m.target) for m in found[1].metrics] == [
        ("members", None),
        ("sessions-held", 6.0),
    ]
    assert found[2].category == "Custom"  # shown by title, like the taxonomy's categories
    assert [(m.name, m.target) for m in found[2].metrics] == [("Guides", 2.5)]
    rows = _rows(review_csv_bytes(found))[1:]
    assert [r[0] for r in rows] == ["it_a", "it_a", "it_b", "it_b", "it_c"]
    assert rows[-1][1] == "'-Custom"
