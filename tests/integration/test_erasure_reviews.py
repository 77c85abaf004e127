"""Erasing a person scrubs them from review meetings: attendees, notes, decisions, action items
(owner and text) and the stored snapshots, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, select

from planner import services
from planner.domain.privacy import ERASED
from planner.services import reviews
from planner.services.privacy import erase_person
from planner.services.reports import export_markdown
from planner.store import ACTION_ITEMS, REVIEW_DECISIONS, REVIEWS, uow

DANA = "Dana Whitfield"
NAME = "Luis Fernández Ruiz"


def _review_tables(engine: Engine) -> str:
    with uow(engine, write=False) as session:
        rows = [
            repr(tuple(row))
            for table in (REVIEWS, REVIEW_DECISIONS, ACTION_ITEMS)
            for row in session.execute(select(table)).all()
        ]
    return "\n".join(rows)


def test_erasing_a_person_scrubs_them_from_reviews_and_action_items(engine: Engine) -> None:
    luis = services.add_person(engine, name=NAME, actor=DANA)
    other = services.add_person(engine, name="Aisha Karim", actor=DANA)
    plan = services.create_plan(
        engine,
        name="Rollout",
        description="",
        start_date=date(2026, 11, 2),
        review_cadence="weekly",
        status="active",
        actor=DANA,
    )
    first = reviews.record_review(
        engine,
        plan.id,
        date=date(2026, 11, 20),
        attendees=[NAME, other.name],
        notes=f"{NAME} presented the circles.",
        decisions=[f"{NAME} runs the next huddle."],
        new_actions=[
            reviews.NewAction("Book the room", luis.id, date(2026, 11, 27)),
            reviews.NewAction(f"Call {NAME}", other.id, date(2026, 11, 27)),
            reviews.NewAction("Send notes", None, None, NAME),
        ],
        actor=NAME,
    )
    reviews.record_review(
        engine,
        plan.id,
        date=date(2026, 11, 27),
        attendees=[other.name],
        action_updates={first.actions_created[1]: "done"},
        actor=DANA,
    )
    assert NAME in _review_tables(engine)

    erase_person(engine, luis.id, actor=DANA)

    assert "Fernández" not in _review_tables(engine)
    held = reviews.list_reviews(engine, plan.id)
    oldest = held[-1]
    assert oldest.attendees == (ERASED, other.name)
    assert oldest.notes == f"{ERASED} presented the circles."
    assert [d.text for d in oldest.decisions] == [f"{ERASED} runs the next huddle."]
    assert oldest.recorded_by == ERASED
    actions = {a.text: a for a in reviews.list_actions(engine, plan.id)}
    assert set(actions) == {"Book the room", f"Call {ERASED}", "Send notes"}
    booked = actions["Book the room"]
    assert (booked.owner_id, booked.owner_name) == (None, ERASED)
    assert (actions["Send notes"].owner_id, actions["Send notes"].owner_name) == (None, ERASED)
    assert actions[f"Call {ERASED}"].owner_id == other.id  # someone else keeps their item
    for review in held:  # the frozen agendas too
        for item in review.agenda:
            assert "Fernández" not in item.text + item.owner_name
            assert item.owner_id != luis.id
    report = export_markdown(engine, plan.id, as_of=date(2026, 11, 28)).decode()
    assert "Fernández" not in report and "erased person" in report
