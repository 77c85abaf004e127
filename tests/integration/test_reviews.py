"""Review meetings over the real repository: snapshots, decisions, action items, my week."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from planner import services
from planner.domain.planning import ItemChange, Target
from planner.domain.playbook import Metric
from planner.domain.reviews import NewAction, compare_reviews
from planner.domain.week import week_end
from planner.errors import PlannerError
from planner.services.actions import list_actions, open_actions, set_action_status
from planner.services.readings import record_readings
from planner.services.reviews import (
    changes_since,
    changes_since_review,
    get_review,
    list_reviews,
    record_review,
)
from planner.services.week import my_week

DANA = "Dana Whitfield"
START = date(2027, 1, 4)  # a Monday

SESSIONS = Metric.model_validate(
    {
        "id": "sessions-held",
        "name": "Sessions held",
        "unit": "sessions",
        "aggregation": "sum",
        "direction": "higher",
        "target": 8.0,
        "cadence": "weekly",
        "definition": "Counted every week from the sign-up sheet by whoever runs the item.",
        "framework": "value-immediate",
    }
)


def week(n: int, weekday: int = 4) -> date:
    return START + timedelta(weeks=n, days=weekday)


class Setup:
    def __init__(self, engine: Engine, make_tactic: Any) -> None:
        self.engine = engine
        self.ana = services.add_person(engine, name="Ana Lopez", actor=DANA)
        self.ben = services.add_person(engine, name="Ben Okafor", actor=DANA)
        plan = services.create_plan(
            engine,
            name="Rollout",
            actor=DANA,
            start_date=START,
            status="active",
            review_cadence="fortnightly",
        )
        self.huddles = services.add_custom_item(
            engine,
            plan.id,
            title="Huddles",
            metrics=[SESSIONS],
            targets=[Target("sessions-held", 8)],
            duration_weeks=8,
            owner_id=self.ana.id,
            expected_version=1,
            actor=DANA,
        )
        (self.circle,) = services.add_tactic_items(
            engine,
            plan.id,
            [make_tactic("peer-circles")],
            owner_id=self.ana.id,
            expected_version=2,
            actor=DANA,
        )
        self.plan = services.get_plan(engine, plan.id)

    def sessions(self, *weeks: tuple[int, float]) -> None:
        record_readings(
            self.engine,
            self.plan.id,
            [(self.huddles.id, "sessions-held", week(n), v, None) for n, v in weeks],
            actor=DANA,
        )

    def log_size(self) -> int:
        return len(services.activity_log(self.engine, self.plan.id, None))


@pytest.fixture
def setup(engine: Engine, make_tactic: Any) -> Setup:
    return Setup(engine, make_tactic)


def test_recording_a_review_freezes_its_snapshot(setup: Setup) -> None:
    setup.sessions((0, 1), (1, 1))
    review = record_review(
        setup.engine,
        setup.plan.id,
        date=week(1),
        attendees=["Ana Lopez", " Ben Okafor ", "ana lopez", ""],
        notes="Slow start.",
        decisions=["Move huddles to Tuesdays"],
        new_actions=[("Book a room", setup.ana.id, week(2))],
        actor=DANA,
    )
    assert review.attendees == ("Ana Lopez", "Ben Okafor")
    assert [d.text for d in review.decisions] == ["Move huddles to Tuesdays"]
    row = next(r for r in review.rows if r.item_id == setup.huddles.id)
    assert (row.item_title, row.metric_name, row.actual, row.target) == (
        "Huddles",
        "Sessions held",
        2.0,
        8.0,
    )
    before = get_review(setup.engine, review.id)
    assert before == review

    # The plan changes afterwards: more readings, a renamed item.
    setup.sessions((2, 5))
    plan = services.get_plan(setup.engine, setup.plan.id)
    services.update_items(
        setup.engine,
        plan.id,
        [ItemChange(setup.huddles.id, {"title": "Team huddles"})],
        expected_version=plan.version,
        actor=DANA,
    )
    again = get_review(setup.engine, review.id)
    assert again == before
    assert next(r for r in again.rows if r.item_id == setup.huddles.id).item_title == "Huddles"
    assert [a.text for a in again.agenda] == ["Book a room"]
    assert again.agenda[0].owner_name == "Ana Lopez"
    log = services.activity_log(setup.engine, setup.plan.id, None)
    assert any(e.entity == "review" and e.entity_id == review.id for e in log)
    # A review is data, not a plan edit: the version is the one the item edit produced.
    assert services.get_plan(setup.engine, plan.id).version == plan.version + 1


def test_action_items_stay_on_the_agenda_until_done(setup: Setup) -> None:
    first = record_review(
        setup.engine,
        setup.plan.id,
        date=week(1),
        attendees=["Ana Lopez"],
        decisions=[],
        new_actions=[
            NewAction("Book a room", setup.ana.id, week(2)),
            ("Draft the invite", None, None),
            NewAction("Ask HR", owner_name="Priya (HR)"),
        ],
        actor=DANA,
    )
    book, draft, ask = (a.id for a in open_actions(setup.engine, setup.plan.id))
    assert set(first.actions_created) == {book, draft, ask}
    assert [a.text for a in open_actions(setup.engine, setup.plan.id)] == [
        "Book a room",
        "Draft the invite",
        "Ask HR",
    ]
    second = record_review(
        setup.engine,
        setup.plan.id,
        date=week(3),
        attendees=["Ana Lopez"],
        action_updates={book: "done", ask: "dropped"},
        actor=DANA,
    )
    assert [a.text for a in open_actions(setup.engine, setup.plan.id)] == ["Draft the invite"]
    agenda = {a.id: a for a in second.agenda}
    assert agenda[book].status == "done" and agenda[book].closed_in_review == second.id
    assert agenda[draft].status == "open"
    # The first review still shows its agenda as it was.
    assert {a.status for a in get_review(setup.engine, first.id).agenda} == {"open"}
    third = record_review(
        setup.engine, setup.plan.id, date=week(5), attendees=["Ben Okafor"], actor=DANA
    )
    assert [a.id for a in third.agenda] == [draft]
    assert [r.id for r in list_reviews(setup.engine, setup.plan.id)] == [
        third.id,
        second.id,
        first.id,
    ]
    done = set_action_status(setup.engine, draft, "done", actor=DANA)
    assert done.status == "done" and done.updated_by == DANA
    assert open_actions(setup.engine, setup.plan.id) == []
    assert len(list_actions(setup.engine, setup.plan.id)) == 3


@pytest.mark.parametrize(
    "bad",
    [
        {"decisions": ["Fine", "   "]},
        {"action_updates": {"ac_nope": "done"}},
        {"action_updates": {"EXISTING": "finished"}},
        {"new_actions": [("", None, None)]},
        {"new_actions": [("Call", "pe_nobody", None)]},
    ],
)
def test_bad_input_raises_and_writes_nothing(setup: Setup, bad: dict[str, Any]) -> None:
    existing = record_review(
        setup.engine,
        setup.plan.id,
        date=week(1),
        attendees=[],
        new_actions=[("Book a room", None, None)],
        actor=DANA,
    )
    action_id = existing.actions_created[0]
    if "action_updates" in bad:
        bad = {
            "action_updates": {
                k.replace("EXISTING", action_id): v for k, v in bad["action_updates"].items()
            }
        }
    log_size = setup.log_size()
    with pytest.raises(PlannerError):
        record_review(
            setup.engine, setup.plan.id, date=week(2), attendees=["Ana"], actor=DANA, **bad
        )
    assert [r.id for r in list_reviews(setup.engine, setup.plan.id)] == [existing.id]
    assert [(a.id, a.status) for a in list_actions(setup.engine, setup.plan.id)] == [
        (action_id, "open")
    ]
    assert setup.log_size() == log_size
    with pytest.raises(PlannerError):
        set_action_status(setup.engine, action_id, "finished", actor=DANA)
    with pytest.raises(PlannerError):
        set_action_status(setup.engine, "ac_nope", "done", actor=DANA)
    assert setup.log_size() == log_size


def test_comparing_two_recorded_reviews(setup: Setup) -> None:
    setup.sessions((0, 0))
    older = record_review(setup.engine, setup.plan.id, date=week(1), attendees=[], actor=DANA)
    setup.sessions((1, 4))
    plan = services.get_plan(setup.engine, setup.plan.id)
    services.add_custom_item(
        setup.engine,
        plan.id,
        title="Lunch and learn",
        metrics=[SESSIONS],
        expected_version=plan.version,
        actor=DANA,
    )
    newer = record_review(setup.engine, setup.plan.id, date=week(2), attendees=[], actor=DANA)
    comparison = compare_reviews(older, newer)
    assert [c.item_title for c in comparison.new] == ["Lunch and learn"]
    assert [(c.item_id, c.metric_id) for c in comparison.improved] == [
        (setup.huddles.id, "sessions-held")
    ]
    assert comparison.slipped == [] and comparison.gone == []


def test_changes_since_the_last_review(setup: Setup) -> None:
    review = record_review(setup.engine, setup.plan.id, date=week(1), attendees=[], actor=DANA)
    assert review.recorded_at is not None
    nothing = changes_since(setup.engine, setup.plan.id, review.recorded_at)
    assert nothing.activity == [] and nothing.readings == []
    setup.sessions((1, 2), (2, 3))
    changes = changes_since(setup.engine, setup.plan.id, review.recorded_at)
    assert [(r.item_title, r.metric_id, r.count) for r in changes.readings] == [
        ("Huddles", "sessions-held", 2)
    ]
    assert changes.readings_added == 2
    assert [e.entity for e in changes.activity] == ["readings"] or len(changes.activity) == 1


def test_my_week_with_and_without_work(setup: Setup) -> None:
    today = week(1, weekday=0)
    action = record_review(
        setup.engine,
        setup.plan.id,
        date=week(0),
        attendees=[],
        new_actions=[
            ("Book a room", setup.ana.id, today + timedelta(days=3)),
            ("Later", setup.ana.id, today + timedelta(days=30)),
            ("Overdue", setup.ana.id, today - timedelta(days=1)),
        ],
        actor=DANA,
    )
    assert len(action.actions_created) == 3
    mine = my_week(setup.engine, setup.ana.id, today)
    assert {i.title for i in mine.items} == {"Huddles", "Peer circles"}
    assert {i.needs_update for i in mine.items} == {"planned but started"}
    assert [(a.action.text, a.overdue) for a in mine.actions] == [
        ("Overdue", True),
        ("Book a room", False),
    ]
    # peer-circles milestones: week 0 (overdue, the item is still planned), week 1 (this week)
    assert [(m.text, m.overdue) for m in mine.milestones] == [
        ("Invite members", True),
        ("First meeting", False),
    ]
    nobody = my_week(setup.engine, setup.ben.id, today)
    assert nobody.empty and nobody.person.name == "Ben Okafor"


def test_sample_plan_has_two_past_reviews_with_one_open_action(engine: Engine) -> None:
    from planner.exchange.playbooks import load_default_library
    from planner.services.sample import create_sample_plan

    today = date(2027, 3, 17)
    plan = create_sample_plan(engine, load_default_library(), actor=DANA, today=today)
    newer, older = list_reviews(engine, plan.id)
    assert (older.date, newer.date) == (today - timedelta(weeks=4), today - timedelta(weeks=2))
    assert older.attendees and older.decisions and newer.decisions
    assert [(a.status) for a in list_actions(engine, plan.id)] == ["done", "open"]
    (still_open,) = open_actions(engine, plan.id)
    assert still_open.owner_id is not None and still_open.due is not None
    assert [a.status for a in newer.agenda] == ["done", "open"]
    assert older.rows and newer.rows and newer.adoption_index is not None


def test_my_week_runs_from_today_to_day_7_included_and_not_day_8(setup: Setup) -> None:
    """The window's edge for all three lists: due (or starting) 7 days ahead is in, 8 is out."""
    scheduled = services.plan_schedule(setup.engine, setup.plan.id)
    circle = scheduled.schedule.entries[setup.circle.id]
    milestone = max(
        (m for m in scheduled.schedule.milestones if m.item_id == setup.circle.id),
        key=lambda m: m.date,
    )
    day = milestone.date
    record_review(
        setup.engine,
        setup.plan.id,
        date=week(0),
        attendees=[],
        new_actions=[("On the edge", setup.ana.id, day), ("Undated", setup.ana.id, None)],
        actor=DANA,
    )
    inside = my_week(setup.engine, setup.ana.id, day - timedelta(days=7))
    outside = my_week(setup.engine, setup.ana.id, day - timedelta(days=8))
    assert [a.action.text for a in inside.actions] == ["On the edge", "Undated"]
    assert [a.action.text for a in outside.actions] == ["Undated"]
    assert (milestone.date, milestone.text) in {(m.date, m.text) for m in inside.milestones}
    assert milestone.date not in {m.date for m in outside.milestones}
    # the item starting exactly 7 days ahead is in the week; 8 days ahead it is not
    start = circle.start
    assert setup.circle.id in {
        i.item_id for i in my_week(setup.engine, setup.ana.id, start - timedelta(days=7)).items
    }
    assert setup.circle.id not in {
        i.item_id for i in my_week(setup.engine, setup.ana.id, start - timedelta(days=8)).items
    }
    assert week_end(day) == day + timedelta(days=7)


def test_changes_since_a_review_count_readings_dated_after_it(setup: Setup) -> None:
    """Readings entered before the meeting but dated after it, and late readings entered after
    it, are changes the review never saw; readings it saw are not."""
    setup.sessions((0, 1), (3, 2))  # week 3 is dated after the review of week 1
    review = record_review(setup.engine, setup.plan.id, date=week(1), attendees=[], actor=DANA)
    changes = changes_since_review(setup.engine, review)
    assert changes.activity == []
    assert [(r.item_title, r.count, r.first_day, r.last_day) for r in changes.readings] == [
        ("Huddles", 1, week(3), week(3))
    ]
    setup.sessions((1, 4))  # a late reading for the review's own week, entered afterwards
    later = changes_since_review(setup.engine, review)
    assert [(r.count, r.first_day, r.last_day) for r in later.readings] == [(2, week(1), week(3))]
    assert len(later.activity) == 1
    # a review after all of them: nothing has changed since
    again = record_review(setup.engine, setup.plan.id, date=week(3), attendees=[], actor=DANA)
    assert changes_since_review(setup.engine, again).readings == []


def test_changes_since_the_sample_plans_last_review_list_its_later_readings(
    engine: Engine,
) -> None:
    from planner.exchange.playbooks import load_default_library
    from planner.services.sample import create_sample_plan

    today = date(2027, 3, 17)
    plan = create_sample_plan(engine, load_default_library(), actor=DANA, today=today)
    last = list_reviews(engine, plan.id)[0]
    changes = changes_since_review(engine, last)
    assert changes.readings, "the sample has readings dated after its last review"
    assert all(r.last_day is not None and r.last_day > last.date for r in changes.readings)
    assert max(r.last_day for r in changes.readings if r.last_day) == today - timedelta(days=1)
