"""Readings, xAPI aggregates, stories, status and privacy over the real repository."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from planner import services
from planner.domain.planning import InvalidInputError, Plan, PlanItem, Target
from planner.domain.playbook import Metric
from planner.domain.privacy import (
    ERASED,
    MIN_GROUP_SIZE,
    PseudonymKey,
    PseudonymKeyError,
    counts_distinct_people,
    normalise_identifier,
    person_hash,
    suppress,
)
from planner.domain.progress import plan_progress
from planner.domain.readings import ReadingInput, ReadingsExistError
from planner.domain.statuses import AT_RISK, NO_DATA, NOT_STARTED, OFF_TRACK, ON_TRACK
from planner.errors import ConflictError, NotFoundError
from planner.exchange.playbooks import load_default_library
from planner.exchange.readings_csv import (
    ReadingsImportError,
    parse_readings_csv,
    readings_csv_template,
)
from planner.services.privacy import erase_person, opt_out_hashes, pseudonym_key
from planner.services.readings import (
    delete_reading,
    import_readings_csv,
    item_trends,
    list_readings,
    metric_trend,
    plan_status,
    record_readings,
)
from planner.services.sample import SERIES, STORIES, create_sample_plan
from planner.services.stories import add_story, delete_story, list_stories, update_story
from planner.services.xapi_readings import XapiBatch, apply_xapi_batch, imported_statement_ids
from planner.store import Base, uow

DANA = "Dana Whitfield"
START = date(2027, 1, 4)  # a Monday
KEY = PseudonymKey(b"a test key that is long enough")


def _metric(metric_id: str, **kw: Any) -> Metric:
    data: dict[str, Any] = {
        "id": metric_id,
        "name": metric_id.replace("-", " ").capitalize(),
        "unit": "sessions",
        "aggregation": "sum",
        "direction": "higher",
        "target": 10.0,
        "cadence": "weekly",
        "definition": "Counted every week from the sign-up sheet by whoever runs the item.",
        "framework": "value-immediate",
    }
    data.update(kw)
    return Metric.model_validate(data)


SESSIONS = _metric("sessions-held")
MEMBERS = _metric("members", unit="people", aggregation="latest")
SATISFACTION = _metric("satisfaction", unit="points", aggregation="average", cadence="monthly")


class Setup:
    """A plan with two items of one tactic (a community), one of another, and a custom item."""

    def __init__(self, engine: Engine, make_tactic: Any) -> None:
        self.engine = engine
        plan = services.create_plan(
            engine, name="Rollout", actor=DANA, start_date=START, status="active"
        )
        community = make_tactic(
            "peer-circles",
            stage="coalescing",
            metrics=[SESSIONS.model_dump(), MEMBERS.model_dump()],
        )
        mentoring = make_tactic("mentoring", metrics=[SESSIONS.model_dump()])
        self.circle_a, self.circle_b, self.mentoring = services.add_tactic_items(
            engine, plan.id, [community, community, mentoring], expected_version=1, actor=DANA
        )
        self.custom = services.add_custom_item(
            engine,
            plan.id,
            title="Huddles",
            metrics=[SATISFACTION],
            targets=[Target("satisfaction", 80)],
            duration_weeks=8,
            expected_version=2,
            actor=DANA,
        )
        self.plan = services.get_plan(engine, plan.id)

    @property
    def items(self) -> list[PlanItem]:
        return services.get_items(self.engine, self.plan.id)

    def readings(self) -> list[tuple[str, str, str, float, str]]:
        return [
            (r.item_id, r.metric_id, r.period, r.value, r.source)
            for r in list_readings(self.engine, self.plan.id)
        ]

    def log(self) -> list[Any]:
        return services.activity_log(self.engine, self.plan.id, None)


@pytest.fixture
def setup(engine: Engine, make_tactic: Any) -> Setup:
    return Setup(engine, make_tactic)


def week(n: int, weekday: int = 4) -> date:
    """A day of the plan's week n (0 = the first), Friday by default."""
    return START + timedelta(weeks=n, days=weekday)


# --- recording by hand ----------------------------------------------------------------------


def test_readings_are_filed_by_period_and_logged_without_a_version_bump(setup: Setup) -> None:
    a = setup.circle_a.id
    stamp = services.change_stamp(setup.engine)
    done = record_readings(
        setup.engine,
        setup.plan.id,
        [
            (a, "sessions-held", week(0), 2, "kick-off"),
            ReadingInput(a, "members", week(1), 14),
            (setup.custom.id, "satisfaction", date(2027, 1, 20), 71.5, None),
        ],
        actor=DANA,
    )
    assert (done.created, done.replaced, done.unchanged) == (3, 0, 0)
    readings = list_readings(setup.engine, setup.plan.id)
    assert [(r.metric_id, r.period, r.period_start, r.value) for r in readings] == [
        ("members", "2027-W02", date(2027, 1, 11), 14.0),
        ("sessions-held", "2027-W01", date(2027, 1, 4), 2.0),
        ("satisfaction", "2027-01", date(2027, 1, 1), 71.5),
    ]
    first = readings[1]
    assert (first.date, first.source, first.note, first.recorded_by) == (
        week(0),
        "manual",
        "kick-off",
        DANA,
    )
    assert first.recorded_at is not None and first.recorded_at.tzinfo is not None
    assert services.get_plan(setup.engine, setup.plan.id).version == setup.plan.version
    assert services.change_stamp(setup.engine) > stamp
    entry = setup.log()[0]
    assert (entry.action, entry.entity, entry.actor, entry.version) == (
        "record",
        "readings",
        DANA,
        None,
    )
    assert entry.summary == "Recorded 3 readings for 2 items"
    assert entry.after is not None and entry.after["count"] == 3
    assert list_readings(setup.engine, setup.plan.id, item_id=a, metric_id="members") == [
        readings[0]
    ]


def test_a_second_reading_for_a_period_needs_confirmation_and_then_replaces(
    setup: Setup,
) -> None:
    a = setup.circle_a.id
    record_readings(setup.engine, setup.plan.id, [(a, "sessions-held", week(0), 2)], actor=DANA)
    before = (setup.readings(), setup.log())

    with pytest.raises(ReadingsExistError) as refused:
        record_readings(
            setup.engine,
            setup.plan.id,
            [(a, "sessions-held", week(0, 0), 3), (a, "members", week(0), 12)],
            actor="Lee",
        )
    [clash] = refused.value.clashes
    assert (clash.item_title, clash.metric_id, clash.period, clash.old_value, clash.new_value) == (
        "Peer circles",
        "sessions-held",
        "2027-W01",
        2.0,
        3.0,
    )
    assert "'Peer circles', Sessions held (weekly), 2027-W01 (4 Jan – 10 Jan 2027): 2 → 3" in str(
        refused.value
    )
    assert "--replace" in str(refused.value)
    assert (setup.readings(), setup.log()) == before  # nothing saved, not even the new one

    done = record_readings(
        setup.engine,
        setup.plan.id,
        [(a, "sessions-held", week(0, 0), 3), (a, "members", week(0), 12)],
        actor="Lee",
        replace=True,
    )
    assert (done.created, done.replaced) == (1, 1)
    assert setup.readings() == [  # by metric id within the item
        (a, "members", "2027-W01", 12.0, "manual"),
        (a, "sessions-held", "2027-W01", 3.0, "manual"),
    ]
    [replaced] = [r for r in list_readings(setup.engine, setup.plan.id) if r.metric_id != "members"]
    assert replaced.date == week(0, 0) and replaced.recorded_by == "Lee"
    entry = setup.log()[0]
    assert entry.summary == "Recorded 2 readings for 1 item (1 replaced)"
    assert entry.before == {
        "count": 1,
        "readings": [
            {"item_id": a, "metric_id": "sessions-held", "period": "2027-W01", "value": 2.0}
        ],
    }
    # Sending the same value again is not a clash and writes nothing.
    again = record_readings(
        setup.engine, setup.plan.id, [(a, "sessions-held", week(0, 0), 3)], actor=DANA
    )
    assert (again.created, again.replaced, again.unchanged) == (0, 0, 1)
    assert setup.log()[0] == entry


def test_bad_rows_are_all_reported_and_nothing_is_saved(setup: Setup) -> None:
    a, m = setup.circle_a.id, setup.mentoring.id
    with pytest.raises(InvalidInputError) as refused:
        record_readings(
            setup.engine,
            setup.plan.id,
            [
                (a, "sessions-held", week(0), 2),
                ("it_nope", "sessions-held", week(0), 1),
                (a, "nope", week(0), 1),
                (a, "sessions-held", week(0), -1),
                (a, "members", week(0), -3),
                (m, "members", week(0), 5),  # a health metric, but not a community item
                (a, "sessions-held", week(0, 1), 4),  # the same period as the first row
                (a, "members", "2027-01-08", 4),
                (a, "members", week(1), "many"),
            ],
            actor=DANA,
        )
    message = str(refused.value)
    for expected in (
        "Row 2: no item 'it_nope'",
        "Row 3: item 'Peer circles' has no metric 'nope' (its metrics: sessions-held, members, "
        "active-members",
        "Row 4: -1 sessions: a count cannot be negative",
        "Row 5: -3 people: a count cannot be negative",
        "Row 6: item 'Mentoring' has no metric 'members' (its metrics: sessions-held)",
        "Row 7: 'Peer circles', Sessions held (sessions, weekly): 2027-W01 (4 Jan – 10 Jan "
        "2027) already has a reading in row 1; a weekly metric takes one reading per ISO week "
        "(Monday to Sunday)",
        "Row 8: the date must be a date",
        "Row 9: the value must be a number",
    ):
        assert expected in message
    assert setup.readings() == []


def test_community_items_take_the_reserved_health_metrics(setup: Setup) -> None:
    a = setup.circle_a.id
    record_readings(
        setup.engine,
        setup.plan.id,
        [(a, "contributors", week(0), 3), (a, "median-hours-to-first-response", week(0), 7.5)],
        actor=DANA,
    )
    assert {r[1] for r in setup.readings()} == {"contributors", "median-hours-to-first-response"}


def test_an_archived_plan_takes_no_readings(setup: Setup) -> None:
    services.set_plan_status(
        setup.engine, setup.plan.id, "archived", expected_version=setup.plan.version, actor=DANA
    )
    with pytest.raises(InvalidInputError, match="archived"):
        record_readings(
            setup.engine,
            setup.plan.id,
            [(setup.mentoring.id, "sessions-held", week(0), 1)],
            actor=DANA,
        )


def test_delete_a_reading(setup: Setup) -> None:
    m = setup.mentoring.id
    record_readings(setup.engine, setup.plan.id, [(m, "sessions-held", week(0), 1)], actor=DANA)
    [reading] = list_readings(setup.engine, setup.plan.id)
    assert delete_reading(setup.engine, setup.plan.id, reading.id, actor=DANA) == reading
    assert setup.readings() == []
    assert (
        setup.log()[0].summary
        == "Removed the reading of Sessions held of 'Mentoring' for 2027-W01 (1)"
    )
    with pytest.raises(NotFoundError):
        delete_reading(setup.engine, setup.plan.id, reading.id, actor=DANA)


def test_removing_an_item_removes_its_readings(setup: Setup) -> None:
    m = setup.mentoring.id
    record_readings(setup.engine, setup.plan.id, [(m, "sessions-held", week(0), 1)], actor=DANA)
    services.remove_item(
        setup.engine, setup.plan.id, m, expected_version=setup.plan.version, actor=DANA
    )
    assert setup.readings() == []


# --- CSV ----------------------------------------------------------------------------------------


def test_the_template_round_trips_once_filled_in(setup: Setup) -> None:
    template = readings_csv_template(setup.plan, setup.items, day=week(1))
    assert template.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    lines = template.decode("utf-8-sig").splitlines()
    assert lines[0] == "item,metric,date,value,note,item title,metric name,unit,cadence"
    assert len(lines) == 1 + 2 + 2 + 1 + 1  # one row per item and metric
    assert lines[1] == (
        f"{setup.circle_a.id},sessions-held,2027-01-15,,,Peer circles,Sessions held,sessions,weekly"
    )
    with pytest.raises(ReadingsImportError, match=r"no readings: fill in the value column"):
        parse_readings_csv(template, setup.items)

    filled = "\r\n".join(
        [lines[0], *(line.replace(",2027-01-15,,", ",2027-01-15,4,") for line in lines[1:3])]
    )
    done = import_readings_csv(
        setup.engine, setup.plan.id, filled.encode("utf-8-sig"), actor=DANA, source_name="w2.csv"
    )
    assert done.created == 2
    assert {(r[1], r[3], r[4]) for r in setup.readings()} == {
        ("sessions-held", 4.0, "csv"),
        ("members", 4.0, "csv"),
    }
    assert setup.log()[0].summary == "Imported 2 readings for 1 item from w2.csv"


def test_a_tactic_id_names_the_item_only_when_it_is_the_only_one(setup: Setup) -> None:
    data = (
        b"Item,Metric,Date,Value\n"
        b"mentoring,sessions-held,2027-01-08,3\n"
        b"peer-circles,sessions-held,2027-01-08,3\n"
    )
    with pytest.raises(ReadingsImportError) as refused:
        parse_readings_csv(data, setup.items)
    [problem] = refused.value.problems
    assert problem.startswith(
        "row 3, column item: 2 items of this plan follow tactic 'peer-circles'"
    )
    assert "give the item id instead" in problem
    ok = parse_readings_csv(data.replace(b"peer-circles", setup.circle_b.id.encode()), setup.items)
    assert [r.item_id for r in ok] == [setup.mentoring.id, setup.circle_b.id]


def test_a_file_with_problems_lists_them_all_and_imports_nothing(setup: Setup) -> None:
    record_readings(
        setup.engine, setup.plan.id, [(setup.mentoring.id, "sessions-held", week(0), 1)], actor=DANA
    )
    before = (setup.readings(), setup.log())
    a = setup.circle_a.id
    data = (
        "item,metric,date,value,note\n"
        f"{a},sessions-held,2027-01-08,2,fine\n"
        f"{a},sessions-held,31/02/2027,2,\n"
        f'{a},members,2027-01-08,"1,5",\n'
        f"{a},attendance,2027-01-08,3,\n"
        f"{a},sessions-held,2027-01-09,-2,\n"
        f"it_nobody,sessions-held,2027-01-08,2,\n"
        f"{a},sessions-held,2027-01-10,5,\n"
        "\n"
        f"{a},members,2027-02-30,,skipped: no value\n"
        f"{a},members,2027-01-12,NaN,\n"
    ).encode()
    with pytest.raises(ReadingsImportError) as refused:
        import_readings_csv(setup.engine, setup.plan.id, data, actor=DANA)
    assert refused.value.problems == [
        "row 3, column date: '31/02/2027' is not a date (use YYYY-MM-DD)",
        "row 4, column value: '1,5' is not a number (use a point for decimals and no thousands "
        "separators)",
        "row 5, column metric: 'attendance' is not a metric of 'Peer circles' (its metrics: "
        "sessions-held, members, active-members, contributors, questions, "
        "questions-answered-in-time, median-hours-to-first-response)",
        "row 6, column value: -2 sessions: a count cannot be negative",
        "row 7, column item: no item or tactic 'it_nobody' in this plan; use an item id from "
        "the template",
        "row 8: the same item, metric and period (2027-W01) as row 2; a period holds one reading",
        "row 11, column value: 'NaN' is not a number",
    ]
    assert str(refused.value).startswith("readings.csv: 7 problems; nothing was imported.")
    assert (setup.readings(), setup.log()) == before


def test_header_problems_and_a_file_that_is_not_utf8(setup: Setup) -> None:
    with pytest.raises(
        ReadingsImportError, match="row 1: the header needs the columns date, value"
    ):
        parse_readings_csv(b"item,metric\nx,y\n", setup.items)
    with pytest.raises(ReadingsImportError, match="'when' is not a readings column"):
        parse_readings_csv(b"item,metric,when,value\n", setup.items)
    with pytest.raises(ReadingsImportError, match="not UTF-8"):
        parse_readings_csv("item,metric,date,value\nÿ".encode("latin-1"), setup.items)


def test_csv_readings_for_existing_periods_stop_the_import_unless_replace(setup: Setup) -> None:
    m = setup.mentoring.id
    record_readings(setup.engine, setup.plan.id, [(m, "sessions-held", week(0), 1)], actor=DANA)
    data = f"item,metric,date,value\n{m},sessions-held,2027-01-05,4\n".encode()
    with pytest.raises(ReadingsExistError):
        import_readings_csv(setup.engine, setup.plan.id, data, actor=DANA)
    assert setup.readings() == [(m, "sessions-held", "2027-W01", 1.0, "manual")]
    import_readings_csv(setup.engine, setup.plan.id, data, actor=DANA, replace=True)
    assert setup.readings() == [(m, "sessions-held", "2027-W01", 4.0, "csv")]


# --- xAPI aggregates ----------------------------------------------------------------------------


def _people(*names: str) -> set[str]:
    return {person_hash(f"mailto:{n}@example.org", KEY) for n in names}


def test_xapi_batches_add_up_counts_and_union_distinct_people(setup: Setup) -> None:
    a = setup.circle_a.id
    w1, w2 = (a, "sessions-held", "2027-W01"), (a, "members", "2027-W01")
    first = XapiBatch(
        statement_ids={"s1", "s2", "s3"},
        counts={w1: 3},
        people={w2: _people("ada", "bo", "cy")},
    )
    summary = apply_xapi_batch(setup.engine, setup.plan.id, first, actor=DANA)
    assert (summary.statements, summary.duplicates, summary.readings_created) == (3, 0, 2)
    assert imported_statement_ids(setup.engine, setup.plan.id) == {"s1", "s2", "s3"}
    assert imported_statement_ids(setup.engine, setup.plan.id, ["s2", "s9"]) == {"s2"}

    second = XapiBatch(
        statement_ids={"s4", "s5"},
        counts={w1: 2},
        people={w2: _people("cy", "di")},  # cy again: one person, counted once
    )
    summary = apply_xapi_batch(
        setup.engine, setup.plan.id, second, actor=DANA, today=date(2027, 2, 1)
    )
    assert (summary.readings_created, summary.readings_updated, summary.periods) == (0, 2, 2)
    assert sorted(setup.readings()) == sorted(
        [(a, "sessions-held", "2027-W01", 5.0, "xapi"), (a, "members", "2027-W01", 4.0, "xapi")]
    )
    # A finished week's reading is dated its last day.
    assert {r.date for r in list_readings(setup.engine, setup.plan.id)} == {date(2027, 1, 10)}
    entry = setup.log()[0]
    assert (entry.action, entry.summary) == (
        "import",
        "Imported 2 xAPI statements: 0 readings added, 2 updated",
    )


def test_statements_imported_meanwhile_stop_the_batch(setup: Setup) -> None:
    a = setup.circle_a.id
    key = (a, "sessions-held", "2027-W01")
    apply_xapi_batch(setup.engine, setup.plan.id, XapiBatch({"s1"}, {key: 1}), actor=DANA)
    before = (setup.readings(), setup.log())
    with pytest.raises(ConflictError, match="1 statement of this import were imported"):
        apply_xapi_batch(setup.engine, setup.plan.id, XapiBatch({"s1", "s2"}, {key: 2}), actor=DANA)
    assert (setup.readings(), setup.log()) == before


def test_replace_recomputes_the_touched_periods_from_the_batch_alone(setup: Setup) -> None:
    a = setup.circle_a.id
    w1, w2 = (a, "members", "2027-W01"), (a, "members", "2027-W02")
    apply_xapi_batch(
        setup.engine,
        setup.plan.id,
        XapiBatch({"s1", "s2", "s3"}, people={w1: _people("ada", "bo"), w2: _people("cy")}),
        actor=DANA,
    )
    summary = apply_xapi_batch(
        setup.engine,
        setup.plan.id,
        XapiBatch({"s1", "s9"}, people={w1: _people("ada", "ed")}),
        actor=DANA,
        replace=True,
    )
    assert (summary.duplicates, summary.replaced, summary.readings_updated) == (1, True, 1)
    assert sorted(setup.readings()) == sorted(
        [(a, "members", "2027-W01", 2.0, "xapi"), (a, "members", "2027-W02", 1.0, "xapi")]
    )
    # The week's stored people are this batch's alone, so the next import unions with them.
    apply_xapi_batch(
        setup.engine, setup.plan.id, XapiBatch({"s10"}, people={w1: _people("bo")}), actor=DANA
    )
    assert (a, "members", "2027-W01", 3.0, "xapi") in setup.readings()
    assert imported_statement_ids(setup.engine, setup.plan.id) == {"s1", "s2", "s3", "s9", "s10"}


def test_xapi_does_not_merge_into_readings_entered_by_hand(setup: Setup) -> None:
    a = setup.circle_a.id
    record_readings(setup.engine, setup.plan.id, [(a, "sessions-held", week(0), 4)], actor=DANA)
    batch = XapiBatch({"s1"}, {(a, "sessions-held", "2027-W01"): 1})
    with pytest.raises(ReadingsExistError) as refused:
        apply_xapi_batch(setup.engine, setup.plan.id, batch, actor=DANA)
    assert refused.value.clashes[0].old_source == "manual"
    assert imported_statement_ids(setup.engine, setup.plan.id) == set()
    apply_xapi_batch(setup.engine, setup.plan.id, batch, actor=DANA, replace=True)
    assert setup.readings() == [(a, "sessions-held", "2027-W01", 1.0, "xapi")]


def test_a_batch_that_does_not_fit_the_plan_is_refused(setup: Setup) -> None:
    a = setup.circle_a.id
    cases = [
        (XapiBatch({"s"}, {("it_nope", "sessions-held", "2027-W01"): 1}), "not in this plan"),
        (XapiBatch({"s"}, {(a, "attendance", "2027-W01"): 1}), "does not have"),
        (XapiBatch({"s"}, {(a, "sessions-held", "2027-01"): 1}), "2027-01 is monthly"),
        (
            XapiBatch(
                {"s"},
                {(a, "members", "2027-W01"): 1},
                {(a, "members", "2027-W01"): _people("ada")},
            ),
            "both as statements and as distinct people",
        ),
    ]
    for batch, message in cases:
        with pytest.raises(InvalidInputError, match=message):
            apply_xapi_batch(setup.engine, setup.plan.id, batch, actor=DANA)
    assert setup.readings() == [] and imported_statement_ids(setup.engine, setup.plan.id) == set()


def test_the_current_period_is_dated_today(setup: Setup) -> None:
    today = date.today()
    monday = today - timedelta(days=today.weekday())
    year, number, _ = today.isocalendar()
    key = (setup.circle_a.id, "sessions-held", f"{year}-W{number:02d}")
    apply_xapi_batch(setup.engine, setup.plan.id, XapiBatch({"s"}, {key: 1}), actor=DANA)
    [reading] = list_readings(setup.engine, setup.plan.id)
    assert reading.date == today and reading.period_start == monday


# --- status -------------------------------------------------------------------------------------


def test_plan_status_aggregates_in_the_database_like_the_pure_function(setup: Setup) -> None:
    a, b = setup.circle_a.id, setup.circle_b.id
    rows = [(a, "sessions-held", week(n), v) for n, v in enumerate([1, 0, 2, 1, 1])]
    rows += [(a, "members", week(n), v) for n, v in enumerate([6, 8, 8, 9])]
    rows += [(b, "members", week(0), 5), (b, "members", week(1, 0), 7)]
    rows += [
        (setup.custom.id, "satisfaction", d, v)
        for d, v in [(date(2027, 1, 4), 60), (date(2027, 2, 2), 75), (date(2027, 3, 1), 90)]
    ]
    record_readings(setup.engine, setup.plan.id, rows, actor=DANA)
    for as_of in (
        START - timedelta(days=1),
        week(2),
        week(3, 6),
        date(2027, 2, 20),
        date(2027, 9, 1),
    ):
        status = plan_status(setup.engine, setup.plan.id, as_of)
        sched = services.plan_schedule(setup.engine, setup.plan.id)
        by_key: dict[tuple[str, str], list[Any]] = {}
        for reading in list_readings(setup.engine, setup.plan.id):
            by_key.setdefault((reading.item_id, reading.metric_id), []).append(reading)
        expected = plan_progress(sched.plan, sched.items, sched.schedule, by_key, as_of)
        assert status == expected
    early = plan_status(setup.engine, setup.plan.id, START - timedelta(days=1))
    assert {i.status for i in early.items} == {NOT_STARTED}
    mid = plan_status(setup.engine, setup.plan.id, week(3, 6))
    row = mid.row(a, "sessions-held")
    # 4 sessions by 31 Jan against a line to 10 by 28 Feb (4.9 expected): 0.81.
    assert row is not None and row.actual == 4.0 and row.status == AT_RISK
    assert row.expected == pytest.approx(10 * 27 / 55)
    assert mid.item(setup.mentoring.id).status == NO_DATA  # type: ignore[union-attr]


def test_trends_per_item_and_metric(setup: Setup) -> None:
    a = setup.circle_a.id
    rows = [(a, "sessions-held", week(n), v) for n, v in enumerate([1, 0, 2])]
    record_readings(setup.engine, setup.plan.id, rows, actor=DANA)
    points = metric_trend(setup.engine, setup.plan.id, a, "sessions-held", week(2, 6))
    assert [p.actual for p in points[:4]] == [1.0, 1.0, 3.0, None]
    assert points[-1].target == 10.0  # the metric's default target, by the item's last week
    assert points[-1].expected == 10.0 and points[-1].period == "2027-W08"
    trends = item_trends(setup.engine, setup.plan.id, a, week(2, 6))
    assert set(trends) == {"sessions-held", "members"} and trends["sessions-held"] == points
    with pytest.raises(NotFoundError):
        item_trends(setup.engine, setup.plan.id, "it_nope", week(2))
    with pytest.raises(InvalidInputError):
        metric_trend(setup.engine, setup.plan.id, a, "nope", week(2))


# --- stories ------------------------------------------------------------------------------------


def test_stories_beside_the_numbers(setup: Setup) -> None:
    a = setup.circle_a.id
    story = add_story(
        setup.engine,
        setup.plan.id,
        a,
        title="  A runbook instead of three notes ",
        text="Three engineers found the same workaround and wrote it up together.",
        value_cycle="value-immediate",
        actor=DANA,
        date=date(2027, 1, 20),
    )
    assert story.id.startswith("st_") and story.title == "A runbook instead of three notes"
    assert story.author == DANA and story.recorded_by == DANA
    older = add_story(
        setup.engine,
        setup.plan.id,
        setup.mentoring.id,
        title="Mentee promoted",
        text="She took over the escalation desk.",
        value_cycle="value-realized",
        author="Kim Sato",
        actor=DANA,
        date=date(2027, 1, 10),
    )
    assert list_stories(setup.engine, setup.plan.id) == [story, older]
    assert list_stories(setup.engine, setup.plan.id, a) == [story]
    assert setup.log()[0].summary == "Added the story 'Mentee promoted' to 'Mentoring'"
    assert services.get_plan(setup.engine, setup.plan.id).version == setup.plan.version

    edited = update_story(
        setup.engine, setup.plan.id, story.id, value_cycle="value-applied", actor="Lee"
    )
    assert edited.value_cycle == "value-applied" and edited.recorded_by == "Lee"
    assert update_story(setup.engine, setup.plan.id, story.id, actor="Lee") == edited
    with pytest.raises(InvalidInputError, match="'kirkpatrick-1' is not a value cycle"):
        update_story(setup.engine, setup.plan.id, story.id, value_cycle="kirkpatrick-1", actor=DANA)
    with pytest.raises(InvalidInputError, match="needs a title"):
        add_story(
            setup.engine,
            setup.plan.id,
            a,
            title=" ",
            text="x",
            value_cycle="value-applied",
            actor=DANA,
        )
    assert delete_story(setup.engine, setup.plan.id, older.id, actor=DANA) == older
    assert list_stories(setup.engine, setup.plan.id) == [edited]


# --- the sample plan ----------------------------------------------------------------------------


@pytest.mark.parametrize("today", [date(2026, 11, 28), date(2027, 1, 4), date(2027, 7, 14)])
def test_the_sample_plan_has_readings_stories_and_every_status(engine: Engine, today: date) -> None:
    plan = create_sample_plan(engine, load_default_library(), actor="Tester", today=today)
    status = plan_status(engine, plan.id, today)
    counts = status.item_counts()
    for wanted in (ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA, NOT_STARTED):
        assert counts[wanted] >= 1, (wanted, counts)
    readings = list_readings(engine, plan.id)
    assert max(r.date for r in readings) < today
    assert max(r.date for r in readings) - min(r.date for r in readings) >= timedelta(weeks=12)
    community = next(
        i for i in services.get_items(engine, plan.id) if i.tactic_id == "cop-coalescing-launch"
    )
    health = {r.metric_id for r in readings if r.item_id == community.id}
    assert health >= {
        "members",
        "active-members",
        "contributors",
        "questions",
        "questions-answered-in-time",
        "median-hours-to-first-response",
    }
    stories = list_stories(engine, plan.id)
    assert 3 <= len(stories) == len(STORIES) <= 5
    assert len({s.value_cycle for s in stories}) == len(stories)
    assert len({(s.item, s.metric) for s in SERIES}) == len(SERIES)


def test_the_sample_plan_is_the_same_for_the_same_day(engine: Engine) -> None:
    library = load_default_library()
    today = date(2027, 3, 3)
    one = create_sample_plan(engine, library, actor="Tester", today=today)
    two = create_sample_plan(engine, library, actor="Tester", today=today)

    def values(plan: Plan) -> list[tuple[str, str, float]]:
        titles = {i.id: (i.position, i.title) for i in services.get_items(engine, plan.id)}
        return sorted(
            (titles[r.item_id], r.metric_id, r.period, r.value)  # type: ignore[misc]
            for r in list_readings(engine, plan.id)
        )

    assert values(one) == values(two)


# --- privacy ----------------------------------------------------------------------------------


def test_small_groups_of_people_are_suppressed() -> None:
    assert MIN_GROUP_SIZE == 5
    assert suppress(4, distinct_people=True) == "< 5"
    assert suppress(0.0, distinct_people=True) == "< 5"
    assert suppress(5, distinct_people=True) == 5
    assert suppress(4, distinct_people=False) == 4
    assert suppress(9, distinct_people=True, k=10) == "< 10"
    assert suppress(None, distinct_people=True) is None
    assert counts_distinct_people(MEMBERS) and counts_distinct_people(
        _metric("mentees", unit=" People ")
    )
    assert counts_distinct_people(_metric("contributors", unit="accounts"))
    assert not counts_distinct_people(SESSIONS)


def test_identifiers_are_normalised_before_hashing() -> None:
    mailbox = person_hash("mailto:Ada@Example.org", KEY)
    assert len(mailbox) == 64 and mailbox == person_hash(" ada@example.ORG ", KEY)
    sha1 = hashlib.sha1(b"mailto:ada@example.org").hexdigest()
    assert person_hash(sha1.upper(), KEY) == mailbox
    assert person_hash(f"mbox_sha1sum:{sha1}", KEY) == mailbox
    account = person_hash("https://chat.example.org/|ada", KEY)
    assert account == person_hash("account:https://chat.example.org|ada", KEY)
    assert account != person_hash("https://chat.example.org|Ada", KEY)
    assert normalise_identifier("https://id.example.org/ada") == "openid:https://id.example.org/ada"
    assert normalise_identifier("openid:https://id.example.org/ada") == (
        "openid:https://id.example.org/ada"
    )
    assert person_hash("mailto:ada@example.org", b"another key, just as long") != mailbox
    assert person_hash("", KEY)  # lenient: importers hash before they validate


@pytest.fixture
def no_key_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("PLANNER_PSEUDONYM_KEY", raising=False)
    yield


def test_the_pseudonym_key_is_made_once_beside_a_sqlite_database(
    tmp_path: Path, no_key_env: None
) -> None:
    url = f"sqlite:///{tmp_path / 'db' / 'planner.db'}"
    secrets = tmp_path / "absent.toml"
    key = pseudonym_key(url, secrets_file=secrets)
    path = tmp_path / "db" / "pseudonym.key"
    assert len(key) == 32 and path.read_bytes() == key
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert pseudonym_key(url, secrets_file=secrets) == key  # the same key every time
    assert "PseudonymKey(<hidden>)" == repr(key) == str(key)
    assert key.hex() not in repr(key)
    assert [p.name for p in path.parent.iterdir()] == ["pseudonym.key"]  # no temporary left


def test_the_pseudonym_key_comes_from_secrets_or_the_environment(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[planner]\npseudonym_key = "from the secrets file, long enough"\n')
    pg = "postgresql+psycopg://u@db.example.org/planner"
    assert (
        pseudonym_key(pg, secrets_file=secrets, environ={}) == b"from the secrets file, long enough"
    )
    env = {"PLANNER_PSEUDONYM_KEY": "from the environment, long enough"}
    assert (
        pseudonym_key(pg, secrets_file=secrets, environ=env) == b"from the environment, long enough"
    )
    with pytest.raises(PseudonymKeyError, match="too short"):
        pseudonym_key(pg, secrets_file=secrets, environ={"PLANNER_PSEUDONYM_KEY": "short"})
    assert not list(tmp_path.glob("*.key"))


def test_a_shared_database_requires_a_pseudonym_key(tmp_path: Path) -> None:
    with pytest.raises(PseudonymKeyError, match=r"\[planner\].*PLANNER_PSEUDONYM_KEY"):
        pseudonym_key(
            "postgresql+psycopg://u@db.example.org/planner",
            secrets_file=tmp_path / "absent.toml",
            environ={},
        )


def test_the_engines_key_is_required_on_postgresql_and_generated_on_sqlite(
    engine: Engine, tmp_path: Path, no_key_env: None
) -> None:
    absent = tmp_path / "absent.toml"
    if engine.dialect.name == "sqlite":
        assert len(pseudonym_key(engine, secrets_file=absent)) == 32
    else:
        with pytest.raises(PseudonymKeyError):
            pseudonym_key(engine, secrets_file=absent)


def _everything(engine: Engine) -> str:
    """Every value in every table, as text (JSON decoded, so escapes cannot hide a name)."""
    parts = []
    with uow(engine, write=False) as session:
        for table in Base.metadata.sorted_tables:
            for row in session.connection().execute(select(table)):
                parts.append(json.dumps([str(v) for v in row], ensure_ascii=False))
                parts.extend(str(v) for v in row)
    return "\n".join(parts)


def test_erasing_a_person_leaves_no_trace_of_their_name_or_email(
    setup: Setup, engine: Engine
) -> None:
    luis = services.add_person(
        engine, name="Luis Fernández", email="Luis.F@example.org", actor=DANA, team="Tier 1"
    )
    services.update_person(engine, luis.id, name="Luis Fernández Ruiz", actor=DANA)
    plan = services.update_plan(
        engine,
        setup.plan.id,
        expected_version=setup.plan.version,
        actor="Luis Fernández Ruiz",
        lead_id=luis.id,
        description="Led by Luis Fernández Ruiz.",
    )
    plan = services.get_plan(engine, plan.id)
    services.update_items(
        engine,
        plan.id,
        [
            services.ItemChange(
                setup.mentoring.id, {"owner_id": luis.id, "notes": "Ask luis.f@example.org"}
            )
        ],
        expected_version=plan.version,
        actor=DANA,
    )
    note = "per Luis Fernández Ruiz"
    record_readings(
        engine,
        plan.id,
        [(setup.mentoring.id, "sessions-held", week(0), 2, note)],
        actor="Luis Fernández Ruiz",
    )
    add_story(
        engine,
        plan.id,
        setup.mentoring.id,
        title="Luis Fernández Ruiz's first mentee",
        text="Told by Luis Fernández.",
        value_cycle="value-potential",
        actor="luis.f@example.org",
    )
    other = services.add_person(engine, name="Luisa Fernández-Smith", actor="Luis Fernández Ruiz")
    stored_people = _people("luis.f")
    apply_xapi_batch(
        engine,
        plan.id,
        XapiBatch({"s1"}, people={(setup.circle_a.id, "members", "2027-W01"): stored_people}),
        actor=DANA,
    )
    version = services.get_plan(engine, plan.id).version
    assert "Luis Fernández" in _everything(engine)

    erased = erase_person(engine, luis.id, actor=DANA, key=KEY)

    assert (erased.items_unassigned, erased.plans_changed, erased.opted_out) == (1, 1, True)
    text = _everything(engine).casefold()
    for trace in ("luis fernández", "luis.f@example.org", "fernández ruiz"):
        assert trace not in text
    assert "luisa fernández-smith" in text  # someone else, with a similar name, is untouched
    with pytest.raises(NotFoundError):
        services.get_person(engine, luis.id)
    after = services.open_plan(engine, plan.id)
    assert after.plan.version == version + 1 and after.plan.lead_id is None
    assert after.plan.description == f"Led by {ERASED}."
    mentoring = next(i for i in after.items if i.id == setup.mentoring.id)
    assert mentoring.owner_id is None and mentoring.notes == f"Ask {ERASED}"
    assert person_hash("luis.f@example.org", KEY) in opt_out_hashes(engine)
    log = services.activity_log(engine, plan.id, None)
    assert (
        log[0].summary
        == "Removed an erased person from 1 item(s), the plan's lead, the plan's description"
    )
    assert any(e.actor == ERASED for e in log)
    assert services.get_person(engine, other.id).name == "Luisa Fernández-Smith"
    # A save based on the version before the erasure is refused, so it cannot bring the name back.
    with pytest.raises(ConflictError):
        services.update_plan(engine, plan.id, expected_version=version, actor=DANA, lead_id=None)


def test_xapi_storage_holds_no_raw_identifier(setup: Setup, engine: Engine) -> None:
    a = setup.circle_a.id
    batch = XapiBatch(
        {"s1", "s2"}, people={(a, "members", "2027-W01"): _people("grace.liu", "tom.becker")}
    )
    apply_xapi_batch(engine, setup.plan.id, batch, actor=DANA)
    text = _everything(engine)
    assert "grace.liu" not in text and "tom.becker" not in text
    assert all(h in text for h in batch.people[(a, "members", "2027-W01")])


@pytest.mark.parametrize(
    "as_of",
    [date(2026, 1, 1), date(2026, 9, 21), date(2026, 10, 5), date(2026, 11, 28), date(2027, 6, 30)],
)
def test_the_fast_status_read_gives_what_plan_progress_over_full_records_gives(
    engine: Engine, as_of: date
) -> None:
    from planner.domain.item_trends import item_schedule as _schedule
    from planner.exchange.review_csv import REVIEW_COLUMNS, review_csv_bytes
    from planner.exchange.review_figures import progress_columns
    from planner.services.reports import export_review_csv, read_review_items, stories_per_item
    from planner.services.sample import create_sample_plan
    from planner.store import Repository, uow

    plan = create_sample_plan(engine, load_default_library(), actor="x", today=date(2026, 11, 28))
    with uow(engine, write=False) as session:
        repo = Repository(session)
        stored = repo.plan(plan.id)
        items = repo.items(plan.id)
        summaries = repo.reading_summaries(plan.id, as_of)
    straight = plan_progress(stored, items, _schedule(stored, items), summaries, as_of)

    fast = plan_status(engine, plan.id, as_of)

    assert fast == straight
    assert [r.metric for r in fast.rows] == [r.metric for r in straight.rows]
    assert any(r.actual is not None for r in fast.rows) or as_of < date(2026, 9, 21)
    stories = stories_per_item(engine, plan.id, as_of)
    columns = (*REVIEW_COLUMNS, *progress_columns(straight, stories))
    assert export_review_csv(engine, plan.id, as_of=as_of) == review_csv_bytes(
        read_review_items(engine, plan.id), columns=columns
    )
