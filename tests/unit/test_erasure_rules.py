"""Erasure rules (planner.domain.privacy): what forgetting a person rewrites in a review and an
action item, without a database."""

from __future__ import annotations

from typing import Any

from planner.domain.privacy import scrub_action_item, scrub_review


def who(name: str) -> str:
    return "erased person" if name == "Ana" else name


def text(value: str) -> str:
    return value.replace("Ana", "erased person")


def action(**changes: Any) -> dict[str, Any]:
    values = {
        "owner_id": "p1",
        "owner_name": "Ana",
        "text": "Ana books the room",
        "created_by": "Ana",
        "updated_by": "dana",
    }
    return {**values, **changes}


def test_an_action_item_of_the_erased_person_is_unassigned_and_renamed() -> None:
    assert scrub_action_item(action(), "p1", who, text) == {
        "owner_id": None,
        "owner_name": "erased person",
        "text": "erased person books the room",
        "created_by": "erased person",
        "updated_by": "dana",
    }


def test_someone_elses_action_item_keeps_its_owner_and_only_loses_the_name() -> None:
    values = scrub_action_item(action(owner_id="p2", owner_name="Bo"), "p1", who, text)
    assert (values["owner_id"], values["owner_name"]) == ("p2", "Bo")
    assert values["text"] == "erased person books the room"


def test_an_unnamed_owner_of_the_erased_person_stays_unnamed() -> None:
    assert scrub_action_item(action(owner_name=None), "p1", who, text)["owner_name"] == ""
    assert (
        scrub_action_item(action(owner_id="p2", owner_name=None), "p1", who, text)["owner_name"]
        is None
    )


def test_a_review_is_rewritten_snapshot_and_agenda_included() -> None:
    row = {
        "attendees": ["Ana", "dana"],
        "notes": "Ana reported",
        "recorded_by": "Ana",
        "snapshot": {
            "plan": "kept as is",
            "agenda": [
                {"owner_id": "p1", "owner_name": "Ana", "text": "Ana's item", "due": "2027-01-04"},
                {"owner_id": "p2", "owner_name": "", "text": "other"},
            ],
        },
    }
    scrubbed = scrub_review(row, "p1", who, text)
    assert scrubbed == {
        "attendees": ["erased person", "dana"],
        "notes": "erased person reported",
        "recorded_by": "erased person",
        "snapshot": {
            "plan": "kept as is",
            "agenda": [
                {
                    "owner_id": None,
                    "owner_name": "erased person",
                    "text": "erased person's item",
                    "due": "2027-01-04",
                },
                {"owner_id": "p2", "owner_name": "", "text": "other"},
            ],
        },
    }
    assert row["snapshot"]["agenda"][0]["owner_id"] == "p1", "the row itself is not changed"


def test_a_review_without_an_agenda_gets_none_added() -> None:
    row = {"attendees": [], "notes": "", "recorded_by": "dana", "snapshot": {"plan": 1}}
    assert scrub_review(row, "p1", who, text)["snapshot"] == {"plan": 1}
