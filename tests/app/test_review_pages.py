"""The Review page (record a review, agenda, past reviews, presentation mode) and My week."""

from __future__ import annotations

from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from planner import reviews, services
from planner.planning import Plan
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
