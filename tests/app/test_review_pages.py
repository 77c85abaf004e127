"""The Review page (record a review, agenda, past reviews, presentation mode) and My week."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta

from openpyxl import load_workbook
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from planner import services
from planner.domain.activity import format_day
from planner.domain.planning import Plan
from planner.exchange.xlsx import export_xlsx
from planner.services import reviews
from planner.ui.review_view import ACTIONS_GRID
from tests.app.conftest import open_page


def test_review_page_records_a_review(app: AppTest, engine: Engine, sample: Plan) -> None:
    open_page(app, "pages/review.py")
    labels = [m.label for m in app.metric]
    assert "Adoption index" in labels
    before = len(reviews.list_reviews(engine, sample.id))
    next(t for t in app.text_area if t.label == "Decisions (one per line)").input(
        "Pilot a second circle\nMove the expert rota to mornings"
    )
    next(t for t in app.text_area if t.label == "Notes").input("Good energy.")
    next(b for b in app.button if b.label == "Record review").click().run()
    assert not app.exception and not app.error
    found = reviews.list_reviews(engine, sample.id)
    assert len(found) == before + 1
    newest = found[0]
    assert [d.text for d in newest.decisions] == [
        "Pilot a second circle",
        "Move the expert rota to mornings",
    ]
    assert newest.rows  # the snapshot of every item and metric


def test_presentation_mode_hides_editing(app: AppTest, sample: Plan) -> None:
    open_page(app, "pages/review.py")
    app.toggle(key="review.present").set_value(True).run()
    assert not app.exception
    labels = [b.label for b in app.button]
    assert "Record review" not in labels and "Next" in labels
    assert any(m.value.startswith("## ") for m in app.markdown)
    app.button(key="review-next").click().run()
    assert not app.exception


def test_my_week_for_a_person_with_and_without_work(
    app: AppTest, engine: Engine, sample: Plan
) -> None:
    people = {p.name: p for p in services.list_people(engine)}
    open_page(app, "pages/my_week.py")
    app.selectbox(key="week.person").set_value(people["Tom Becker"].id).run()
    assert not app.exception
    assert int(next(m.value for m in app.metric if m.label == "Items")) >= 1
    idle = services.add_person(engine, name="Idle Person", actor="Tester")
    app.run()
    app.selectbox(key="week.person").set_value(idle.id).run()
    assert any("Nothing is due" in s.value for s in app.success)


def test_review_empty_state(app: AppTest) -> None:
    open_page(app, "pages/review.py")
    assert "no plan yet" in app.info[0].value


def _xlsx_actions(engine: Engine, plan_id: str) -> list[tuple[object, ...]]:
    wb = load_workbook(io.BytesIO(export_xlsx(engine, plan_id, as_of=date.today())))
    return [tuple(r) for r in wb["Actions"].iter_rows(min_row=2, values_only=True)]


def test_an_action_typed_in_the_record_grid_keeps_its_owner_and_due_date(
    app: AppTest, engine: Engine, sample: Plan
) -> None:
    """As the browser sends them: rows added to the empty grid carry the Due cell as ISO text."""
    people = {p.name: p for p in services.list_people(engine)}
    today = date.today()
    due = today + timedelta(days=7)
    open_page(app, "pages/review.py")
    room = {"Action": "Book the room for the showcase", "Owner": "Tom Becker"}
    news = {"Action": "Draft the newsletter", "Owner": "Maya Okafor"}
    app.session_state[ACTIONS_GRID] = {
        "edited_rows": {},
        "added_rows": [
            room | {"Due": due.isoformat()},
            news | {"Due": f"{today.isoformat()}T00:00:00"},
            {"Action": "Ask finance about the budget"},
        ],
        "deleted_rows": [],
    }
    app.run()
    next(t for t in app.text_area if t.label == "Decisions (one per line)").input("Showcase")
    next(b for b in app.button if b.label == "Record review").click().run()
    assert not app.exception and not app.error, app.error
    stored = {a.text: a for a in reviews.list_actions(engine, sample.id)}
    booked = stored["Book the room for the showcase"]
    assert (booked.owner_id, booked.due) == (people["Tom Becker"].id, due)
    assert stored["Draft the newsletter"].due == today
    assert stored["Ask finance about the budget"].due is None
    newest = reviews.list_reviews(engine, sample.id)[0]
    assert {a.text: a.due for a in newest.agenda}["Book the room for the showcase"] == due
    # on the agenda of the page, in the owner's week, in the workbook
    agenda = [m.value for m in app.markdown if "Book the room" in str(m.value)]
    assert agenda == [f"**Book the room for the showcase** · Tom Becker · {format_day(due)}"]
    week = reviews.my_week(engine, people["Tom Becker"].id, today)
    assert [(a.action.text, a.action.due) for a in week.actions if "room" in a.action.text] == [
        ("Book the room for the showcase", due)
    ]
    rows = {r[0]: r for r in _xlsx_actions(engine, sample.id)}
    assert rows["Book the room for the showcase"][1:3] == (
        "Tom Becker",
        datetime.combine(due, time()),
    )
    # the form is empty again once recorded (fresh widgets: the browser drops what it held)
    assert next(t for t in app.text_area if t.label == "Decisions (one per line)").value == ""


def test_a_due_date_without_an_action_is_an_error_and_keeps_the_form(
    app: AppTest, engine: Engine, sample: Plan
) -> None:
    open_page(app, "pages/review.py")
    before = len(reviews.list_reviews(engine, sample.id))
    app.session_state[ACTIONS_GRID] = {
        "edited_rows": {},
        "added_rows": [{"Owner": "Tom Becker", "Due": "2026-12-08"}],
        "deleted_rows": [],
    }
    app.run()
    next(t for t in app.text_area if t.label == "Notes").input("Kept")
    next(b for b in app.button if b.label == "Record review").click().run()
    assert "row 1" in app.error[0].value and "no action" in app.error[0].value
    assert len(reviews.list_reviews(engine, sample.id)) == before
    assert next(t for t in app.text_area if t.label == "Notes").value == "Kept"


def test_agenda_status_changes_are_applied_with_the_review(
    app: AppTest, engine: Engine, sample: Plan
) -> None:
    open_page(app, "pages/review.py")
    (carried,) = reviews.open_actions(engine, sample.id)
    app.selectbox(key=f"action-{carried.id}").set_value("done").run()
    next(b for b in app.button if b.label == "Record review").click().run()
    assert not app.exception and not app.error
    closed = {a.id: a for a in reviews.list_actions(engine, sample.id)}[carried.id]
    assert closed.status == "done"
    assert closed.closed_in_review == reviews.list_reviews(engine, sample.id)[0].id
    assert "No open action items." in [c.value for c in app.caption]


def test_changes_since_the_last_review_list_the_sample_plans_later_readings(
    app: AppTest, sample: Plan
) -> None:
    open_page(app, "pages/review.py")
    assert "Nothing has changed since." not in [m.value for m in app.markdown]
    lines = [m.value for m in app.markdown if "new reading" in str(m.value)]
    assert lines and all(", dated " in line for line in lines)


def test_comparing_reviews_shows_what_each_verdict_rests_on_and_tells_twins_apart(
    app: AppTest, engine: Engine, sample: Plan
) -> None:
    items = services.get_items(engine, sample.id)
    measured = next(i for i in items if i.metrics and i.team)
    plan = services.get_plan(engine, sample.id)
    twin = services.add_custom_item(
        engine,
        sample.id,
        title=measured.title,
        metrics=measured.metrics,
        team="Sales floor",
        audience="Sales agents",
        expected_version=plan.version,
        actor="Tester",
    )
    reviews.record_review(engine, sample.id, date=date.today(), attendees=["Tester"], actor="T")
    open_page(app, "pages/review.py")
    frame = app.dataframe[-1].value
    then, now = (c for c in frame.columns if c.startswith("Status "))
    p_then, p_now = (c for c in frame.columns if c.startswith("Progress "))
    assert "Why" in frame.columns and len(frame) > 0
    for _, row in frame.iterrows():
        if row["Change"] in ("improved", "slipped"):
            assert row[then] != row[now], row.to_dict()
        if row["Change"] == "moved":
            assert row[then] == row[now] and row[p_then] != row[p_now], row.to_dict()
            assert row["Why"].startswith(f"progress {row[p_then]} → {row[p_now]}")
    twins = set(frame[frame["Change"] == "new"]["Item"])
    assert twins == {f"{measured.title} (Sales agents)"}, twins
    assert twin.id  # the twin's rows are new in the newer review
    # the same labels in the snapshot of the newer review
    snapshot = app.dataframe[-2].value
    labels = set(snapshot["Item"])
    assert f"{measured.title} (Sales agents)" in labels
    assert any(label.startswith(f"{measured.title} (") and "Sales" not in label for label in labels)
    # the counts above the table match its rows
    counts = {m.label: m.value for m in app.metric}
    for kind in ("Improved", "Slipped", "Moved"):
        assert int(counts[kind]) == int((frame["Change"] == kind.lower()).sum())


def test_two_reviews_of_the_same_day_and_people_can_be_told_apart(
    app: AppTest, engine: Engine, sample: Plan
) -> None:
    for _ in range(2):
        reviews.record_review(engine, sample.id, date=date.today(), attendees=["Ana"], actor="T")
    open_page(app, "pages/review.py")
    box = next(s for s in app.selectbox if s.label == "Open a review")
    assert len(set(box.options)) == len(box.options) == 4, box.options
    # the activity since the last review is listed with its day as 1 Dec 2026
    reading = [m.value for m in app.markdown if "Recorded the review" in str(m.value)]
    assert reading == [], reading  # recording the newest review is not a change since it
