"""Telling apart items that share a title (planner.domain.labels)."""

from __future__ import annotations

from planner.domain.labels import distinct_labels, item_labels
from planner.domain.planning import Person, PlanItem


def _item(
    item_id: str, title: str, audience: str = "", team: str = "", owner: str | None = None
) -> PlanItem:
    return PlanItem(
        id=item_id,
        plan_id="pl",
        title=title,
        duration_weeks=4,
        audience=audience,
        team=team,
        owner_id=owner,
    )


def test_a_title_nobody_else_has_stays_as_it_is() -> None:
    assert item_labels([_item("a", "Peer circles"), _item("b", "Job aids")]) == {
        "a": "Peer circles",
        "b": "Job aids",
    }


def test_shared_titles_get_the_first_hint_that_tells_them_apart() -> None:
    people = [Person(id="p1", name="Maya Okafor"), Person(id="p2", name="Tom Becker")]
    items = [
        _item("a", "Peer circles", "Tier 1", "Support", "p1"),
        _item("b", " peer circles ", "Tier 2", "Support", "p1"),
        _item("c", "Huddles", "Tier 2", "Support", "p1"),
        _item("d", "Huddles", "Tier 2", "Sales", "p2"),
        _item("e", "Coaching", "", "", "p1"),
        _item("f", "Coaching", "", "", "p2"),
        _item("g", "Job aids"),
    ]
    assert item_labels(items, people) == {
        "a": "Peer circles (Tier 1)",
        "b": "peer circles (Tier 2)",
        "c": "Huddles (Support)",
        "d": "Huddles (Sales)",
        "e": "Coaching (Maya Okafor)",
        "f": "Coaching (Tom Becker)",
        "g": "Job aids",
    }


def test_when_no_hint_tells_them_apart_they_are_numbered_in_order() -> None:
    items = [
        _item("a", "Circles", "Tier 1"),
        _item("b", "Circles", "Tier 1"),
        _item("c", "Circles"),
    ]
    assert item_labels(items) == {"a": "Circles (1)", "b": "Circles (2)", "c": "Circles (3)"}
    # an old snapshot's item no longer in the plan has no hints: numbered with the others
    listed = [("a", "Circles"), ("gone", "Circles")]
    assert item_labels(items[:1], listed=listed) == {"a": "Circles (1)", "gone": "Circles (2)"}


def test_combined_hints_when_no_single_one_differs_for_all() -> None:
    labels = distinct_labels(
        [("a", "X", ("T1", "Ops")), ("b", "X", ("T1", "Sales")), ("c", "X", ("T2", "Ops"))]
    )
    assert labels == {"a": "X (T1 · Ops)", "b": "X (T1 · Sales)", "c": "X (T2 · Ops)"}
    assert len(set(labels.values())) == 3
