"""The review CSV read from the real repository (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlalchemy import Engine

from planner import services
from planner.domain.planning import ItemChange
from planner.errors import NotFoundError
from planner.exchange.review_csv import REVIEW_COLUMNS, ReviewItem, review_csv_bytes, review_items
from planner.exchange.review_figures import progress_columns
from planner.services.readings import plan_status
from planner.services.reports import export_review_csv, read_review_items, stories_per_item
from tests.integration.test_exchange_bundle import AS_OF, DANA, LEE, seed_plan


def rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def with_progress(engine: Engine, plan_id: str, items: list[ReviewItem]) -> bytes:
    stories = stories_per_item(engine, plan_id, AS_OF)
    columns = (*REVIEW_COLUMNS, *progress_columns(plan_status(engine, plan_id, AS_OF), stories))
    return review_csv_bytes(items, columns=columns)


def test_the_fast_read_agrees_with_the_plan_s_own_schedule(engine: Engine) -> None:
    plan = seed_plan(engine)
    scheduled = services.plan_schedule(engine, plan.id)
    owners = {p.id: p.name for p in services.list_people(engine)}
    expected = review_items(scheduled.items, scheduled.schedule, owners)

    assert read_review_items(engine, plan.id) == expected
    assert export_review_csv(engine, plan.id, as_of=AS_OF) == with_progress(
        engine, plan.id, expected
    )


def test_the_fast_read_agrees_after_drops_moves_pins_and_cleared_targets(engine: Engine) -> None:
    plan = seed_plan(engine)
    items = services.open_plan(engine, plan.id).items
    kickoff, circle, second, guide, retro = items
    services.update_items(
        engine,
        plan.id,
        [
            # Nothing carries kickoff any more: the circles stop waiting for it.
            ItemChange(kickoff.id, {"status": "dropped", "position": retro.position}),
            ItemChange(retro.id, {"position": 0, "pinned_start": date(2026, 12, 28)}),
            ItemChange(circle.id, {"targets": [], "duration_weeks": 3}),
            ItemChange(guide.id, {"owner_id": None, "status": "blocked"}),
            ItemChange(second.id, {"pinned_start": None}),
        ],
        expected_version=plan.version,
        actor=DANA,
    )
    scheduled = services.plan_schedule(engine, plan.id)
    owners = {p.id: p.name for p in services.list_people(engine)}
    expected = review_items(scheduled.items, scheduled.schedule, owners)

    found = read_review_items(engine, plan.id)
    assert found == expected
    assert [i.id for i in found] == [retro.id, circle.id, second.id, guide.id, kickoff.id]
    [cleared] = [i for i in found if i.id == circle.id]
    assert [m.target for m in cleared.metrics] == [None, None]
    assert export_review_csv(engine, plan.id, as_of=AS_OF) == with_progress(
        engine, plan.id, expected
    )


def test_the_review_csv_of_a_plan(engine: Engine) -> None:
    plan = seed_plan(engine)
    data = export_review_csv(engine, plan.id, as_of=AS_OF)
    table = rows(data)
    header, body = table[0], table[1:]
    assert header[-12:] == [
        "metric", "target", "actual", "expected", "progress", "status", "last reading", "stories",
        "unit", "due", "baseline", "baseline from",
    ]  # fmt: skip
    by_item = [(r[1], r[3], r[5], r[6], r[7], r[9], r[10]) for r in body]
    assert by_item == [
        ("Kickoff", DANA, "2027-01-11", "2027-01-24", "done", "Members", "12"),
        ("Kickoff", DANA, "2027-01-11", "2027-01-24", "done", "Sessions held", "4"),
        # Waits for kickoff; one of its two targets was removed.
        ("Peer circles", LEE, "2027-01-25", "2027-03-21", "planned", "Members", "8"),
        ("Peer circles", LEE, "2027-01-25", "2027-03-21", "planned", "Sessions held", ""),
        # Pinned before its prerequisite finishes: kept where it was pinned.
        ("Peer circles", "", "2027-02-01", "2027-03-28", "planned", "Members", "12"),
        ("Peer circles", "", "2027-02-01", "2027-03-28", "planned", "Sessions held", "4"),
        ("'=Write the escalation guide", LEE, "2027-01-11", "2027-02-07", "planned", "Guides", "3"),
        ("Retro", "", "2027-01-11", "2027-01-17", "planned", "", ""),  # no metrics: one row
    ]
    # an id the taxonomy does not know stays as it is; custom items read "Custom"
    assert body[0][2] == "communities" and body[6][2] == "Custom"
    assert body[4][8] == "Second circle,\nTier 1"
    assert body[6][8] == 'Draft ready, "v2" pending'
    assert b"\r\n" in data and not data.startswith(b"\xef\xbb\xbf")
    assert export_review_csv(engine, plan.id, as_of=AS_OF) == data
    assert export_review_csv(engine, plan.id, as_of=AS_OF, excel=True) == b"\xef\xbb\xbf" + data


def test_an_empty_plan_exports_its_header(engine: Engine) -> None:
    plan = services.create_plan(engine, name="Empty", actor=DANA)
    assert rows(export_review_csv(engine, plan.id))[1:] == []


def test_an_unknown_plan_is_not_found(engine: Engine) -> None:
    with pytest.raises(NotFoundError, match="No plan with id 'pl_nope'"):
        export_review_csv(engine, "pl_nope")


def test_progress_columns_on_the_sample_plan(engine: Engine) -> None:
    from planner.exchange.playbooks import load_default_library
    from planner.services.sample import create_sample_plan

    plan = create_sample_plan(engine, load_default_library(), actor=DANA, today=date(2026, 11, 28))
    table = rows(export_review_csv(engine, plan.id, as_of=date(2026, 11, 28)))
    header, body = table[0], table[1:]
    status = header.index("status")
    assert {"on track", "at risk", "off track", "no data"} <= {r[status] for r in body}
    actual = header.index("actual")
    people = [r for r in body if r[header.index("metric")] == "Contributors"]
    assert all(r[actual] in ("", "< 5") or float(r[actual]) >= 5 for r in people)
    assert len(body) == len({(r[0], r[header.index("metric")]) for r in body})


def test_review_csv_names_categories_rounds_figures_and_adds_unit_due_baseline(
    engine: Engine,
) -> None:
    from planner.exchange.playbooks import category_titles, load_default_library
    from planner.services.sample import create_sample_plan

    today = date(2026, 11, 28)
    plan = create_sample_plan(engine, load_default_library(), actor=DANA, today=today)
    table = rows(export_review_csv(engine, plan.id, as_of=today))
    header, body = table[0], table[1:]
    col = {name: header.index(name) for name in header}
    titles = set(category_titles().values())
    assert {r[col["category"]] for r in body} <= titles | {"Custom"}
    assert not {r[col["category"]] for r in body} & set(category_titles())  # no ids
    for row in body:
        for name in ("actual", "expected", "target", "baseline", "progress"):
            text = row[col[name]]
            if text not in ("", "< 5"):
                assert len(text.partition(".")[2]) <= 2, (name, text)
        if row[col["metric"]]:
            assert row[col["unit"]] and date.fromisoformat(row[col["due"]])
        assert row[col["baseline from"]] in ("", "target", "zero", "first reading", "playbook")
    assert any(r[col["baseline"]] for r in body)
