"""Plan bundles without a database: the document, its bytes, and every way a file can be bad."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest

from planner.domain.activity import ActivityEntry
from planner.domain.periods import period_of
from planner.domain.planning import Person, Plan, PlanItem, Target, item_from_tactic
from planner.domain.playbook import Metric
from planner.errors import ImportFormatError
from planner.exchange.bundle import (
    FORMAT,
    FORMAT_VERSION,
    bundle_document,
    dump_bundle,
    looks_like_bundle,
    parse_bundle,
)
from planner.store import ActionItemRecord, Reading, ReviewRecord, Story
from tests.integration.conftest import _metric, build_tactic

AT = datetime(2027, 1, 11, 9, 30, tzinfo=UTC)
RECORDED = datetime(2027, 2, 3, 16, 5, 7, 123456, tzinfo=UTC)


def records() -> tuple[Plan, list[Person], list[PlanItem], list[ActivityEntry]]:
    dana = Person(id="pe_dana", name="Dana Whitfield", email="dana@example.org", team="L&D")
    lee = Person(id="pe_lee", name="Lee Okafor", capacity_hours_per_week=6)
    plan = Plan(
        id="pl_support",
        name="Support rollout",
        start_date=date(2027, 1, 11),
        lead_id=dana.id,
        status="active",
        version=4,
    )
    circles = build_tactic("peer-circles")
    items = [
        item_from_tactic(circles, plan_id=plan.id, position=0, owner_id=lee.id, item_id="it_a"),
        replace(
            item_from_tactic(circles, plan_id=plan.id, position=1, item_id="it_b"),
            team="Tier 2",
            notes="Second circle",
            pinned_start=date(2027, 2, 1),
            targets=[Target("members", 8.0, due_date=date(2027, 3, 1), baseline=2.0)],
        ),
        PlanItem(
            id="it_c",
            plan_id=plan.id,
            position=2,
            title="Job-aid clean-up",
            duration_weeks=3,
            status="done",
            custom_metrics=[Metric.model_validate(_metric("guides", target=5.0))],
            targets=[Target("guides", 5.0)],
        ),
    ]
    activity = [
        ActivityEntry(
            id=1,
            plan_id=plan.id,
            at=AT,
            actor="Dana Whitfield",
            action="create",
            entity="plan",
            entity_id=plan.id,
            summary="Created the plan 'Support rollout'",
            after={"name": "Support rollout"},
            version=1,
        )
    ]
    return plan, [lee, dana], items, activity


def reading(item_id: str, metric_id: str, day: date, value: float, **changes: Any) -> Reading:
    """A stored reading of a monthly metric (the database number is not part of a bundle)."""
    period = period_of(day, "monthly")
    values: dict[str, Any] = {
        "id": 99,
        "item_id": item_id,
        "metric_id": metric_id,
        "period": period.key,
        "period_start": period.start,
        "date": day,
        "value": value,
        "source": "manual",
        "recorded_by": "Lee Okafor",
        "recorded_at": RECORDED,
    }
    return Reading(**{**values, **changes})


def readings() -> list[Reading]:
    """The items' readings, deliberately out of order."""
    return [
        reading("it_c", "guides", date(2027, 2, 26), 2.0, source="csv", note="two drafts"),
        reading("it_a", "sessions-held", date(2027, 1, 31), 3.0),
        reading("it_a", "members", date(2027, 2, 28), 9.0, id=1),
        reading("it_a", "members", date(2027, 1, 31), 4.0, id=7, source="xapi", recorded_by=""),
        reading("it_b", "members", date(2027, 1, 15), 0.0, note="=SUM(A1)"),
    ]


def story(story_id: str, item_id: str, day: date, **changes: Any) -> Story:
    values: dict[str, Any] = {
        "id": story_id,
        "item_id": item_id,
        "date": day,
        "author": "Dana Whitfield",
        "title": f"Story {story_id}",
        "text": "Three agents found they had the same workaround, and wrote one runbook.",
        "value_cycle": "value-applied",
        "recorded_by": "Lee Okafor",
        "recorded_at": RECORDED,
    }
    return Story(**{**values, **changes})


def stories() -> list[Story]:
    return [
        story("st_b", "it_a", date(2027, 2, 1)),
        story("st_a", "it_c", date(2027, 2, 1), value_cycle="value-realized", author="Zoë"),
        story("st_c", "it_b", date(2027, 1, 20), text="A line\nand another"),
    ]


SNAPSHOT = {
    "as_of": "2027-02-01",
    "adoption_index": 0.5,
    "rows": [],
    "items": [{"item_id": "it_a", "title": "Peer circles", "status": "no data"}],
    "agenda": [],
    "actions_created": ["ac_a"],
}


def reviews() -> list[tuple[ReviewRecord, list[tuple[str, str]]]]:
    def review(review_id: str, day: date, decided: list[tuple[str, str]]) -> Any:
        record = ReviewRecord(
            id=review_id,
            plan_id="pl_1",
            date=day,
            attendees=["Dana", "Lee"],
            notes="=notes",
            snapshot=SNAPSHOT,
            recorded_by="Dana",
            recorded_at=RECORDED,
        )
        return record, decided

    return [
        review("rv_b", date(2027, 2, 15), []),
        review("rv_a", date(2027, 2, 1), [("dc_1", "Keep going"), ("dc_0", "<b>x</b>")]),
    ]


def actions() -> list[ActionItemRecord]:
    def action(action_id: str, at: datetime, **changes: Any) -> ActionItemRecord:
        values: dict[str, Any] = {
            "id": action_id,
            "plan_id": "pl_1",
            "text": "Send the template",
            "owner_id": "pe_lee",
            "owner_name": "Lee",
            "due": date(2027, 2, 8),
            "status": "open",
            "created_in_review": "rv_a",
            "closed_in_review": None,
            "created_at": at,
            "created_by": "Dana",
            "updated_at": at,
            "updated_by": "Dana",
        }
        return ActionItemRecord(**{**values, **changes})

    return [
        action("ac_b", RECORDED.replace(day=4), owner_id=None, created_in_review=None),
        action("ac_a", RECORDED, status="done", closed_in_review="rv_b"),
    ]


CHANNELS = [("#support-circles", "it_a"), ("Ask Support", "it_c"), ("ask-ops", "it_a")]


def document() -> dict[str, Any]:
    """A version 4 bundle with readings, stories, reviews, action items and a channel mapping."""
    return bundle_document(*records(), readings(), stories(), reviews(), actions(), CHANNELS)


def version_1_document() -> dict[str, Any]:
    """A bundle as the planner wrote it before readings and stories."""
    doc = bundle_document(*records())
    doc["version"] = 1
    del doc["stories"]
    del doc["actions"]
    del doc["channel_mapping"]
    return doc


def version_2_document() -> dict[str, Any]:
    """A bundle as the planner wrote it before reviews and action items."""
    doc = bundle_document(*records(), readings(), stories())
    doc["version"] = 2
    del doc["actions"]
    del doc["channel_mapping"]
    return doc


def version_3_document() -> dict[str, Any]:
    """A bundle as the planner wrote it before saved channel mappings."""
    doc = bundle_document(*records(), readings(), stories(), reviews(), actions())
    doc["version"] = 3
    del doc["channel_mapping"]
    return doc


def as_bytes(doc: Any) -> bytes:
    return json.dumps(doc).encode()


# --- the document ---------------------------------------------------------------------------


def test_the_document_has_the_versioned_layout_and_shares_snapshots() -> None:
    doc = document()
    assert doc["format"] == FORMAT == "informal-learning-planner/bundle"
    assert doc["version"] == FORMAT_VERSION == 4
    assert set(doc) == {
        "format",
        "version",
        "plan",
        "people",
        "items",
        "tactic_snapshots",
        "readings",
        "stories",
        "reviews",
        "actions",
        "channel_mapping",
        "activity",
    }
    # reviews by date, with their decisions in the order taken; actions by when created
    assert [r["id"] for r in doc["reviews"]] == ["rv_a", "rv_b"]
    assert doc["reviews"][0]["decisions"] == [
        {"id": "dc_1", "text": "Keep going"},
        {"id": "dc_0", "text": "<b>x</b>"},
    ]
    assert doc["reviews"][0]["snapshot"] == SNAPSHOT
    assert doc["reviews"][0]["date"] == "2027-02-01"
    assert doc["reviews"][0]["recorded_at"] == "2027-02-03T16:05:07.123456+00:00"
    assert [a["id"] for a in doc["actions"]] == ["ac_a", "ac_b"]
    assert doc["actions"][0] == {
        "id": "ac_a",
        "text": "Send the template",
        "owner_id": "pe_lee",
        "owner_name": "Lee",
        "due": "2027-02-08",
        "status": "done",
        "created_in_review": "rv_a",
        "closed_in_review": "rv_b",
        "created_at": "2027-02-03T16:05:07.123456+00:00",
        "created_by": "Dana",
        "updated_at": "2027-02-03T16:05:07.123456+00:00",
        "updated_by": "Dana",
    }
    assert [p["id"] for p in doc["people"]] == ["pe_dana", "pe_lee"]
    assert [i["id"] for i in doc["items"]] == ["it_a", "it_b", "it_c"]
    assert doc["plan"]["version"] == 4 and doc["plan"]["lead_id"] == "pe_dana"
    [digest] = doc["tactic_snapshots"]
    assert doc["items"][0]["tactic_snapshot"] == doc["items"][1]["tactic_snapshot"] == digest
    assert doc["tactic_snapshots"][digest]["id"] == "peer-circles"
    assert doc["items"][2]["tactic_snapshot"] is None
    assert doc["items"][1]["targets"] == [
        {"metric_id": "members", "value": 8.0, "due_date": "2027-03-01", "baseline": 2.0}
    ]
    assert doc["activity"][0]["at"] == "2027-01-11T09:30:00+00:00"
    assert "id" not in doc["activity"][0]  # database-local: not part of the bundle


def test_readings_come_by_item_in_plan_order_metric_and_period_with_every_field() -> None:
    doc = document()
    assert [(r["item_id"], r["metric_id"], r["period"]) for r in doc["readings"]] == [
        ("it_a", "members", "2027-01"),
        ("it_a", "members", "2027-02"),
        ("it_a", "sessions-held", "2027-01"),
        ("it_b", "members", "2027-01"),
        ("it_c", "guides", "2027-02"),
    ]
    assert doc["readings"][0] == {
        "item_id": "it_a",
        "metric_id": "members",
        "period": "2027-01",
        "period_start": "2027-01-01",
        "date": "2027-01-31",
        "value": 4.0,
        "source": "xapi",
        "note": "",
        "recorded_by": "",
        "recorded_at": "2027-02-03T16:05:07.123456+00:00",
    }
    assert "id" not in doc["readings"][1]  # the database's number differs between databases
    assert doc["readings"][3]["value"] == 0.0  # a confidential backup keeps small numbers
    assert doc["readings"][3]["note"] == "=SUM(A1)"  # JSON: nothing for a spreadsheet to run
    # The plan's order, not the ids': an item moved to the front comes first.
    plan, people, items, activity = records()
    items = [replace(i, position={"it_a": 2, "it_b": 1, "it_c": 0}[i.id]) for i in items]
    moved = bundle_document(plan, people, items, activity, readings(), stories())
    assert [r["item_id"] for r in moved["readings"]] == ["it_c", "it_b", "it_a", "it_a", "it_a"]


def test_stories_come_by_date_then_id_with_every_field() -> None:
    doc = document()
    assert [s["id"] for s in doc["stories"]] == ["st_c", "st_a", "st_b"]
    assert doc["stories"][1] == {
        "id": "st_a",
        "item_id": "it_c",
        "date": "2027-02-01",
        "author": "Zoë",
        "title": "Story st_a",
        "text": "Three agents found they had the same workaround, and wrote one runbook.",
        "value_cycle": "value-realized",
        "recorded_by": "Lee Okafor",
        "recorded_at": "2027-02-03T16:05:07.123456+00:00",
    }


def test_readings_and_stories_in_any_order_give_the_same_bytes() -> None:
    plan, people, items, activity = records()
    data = dump_bundle(bundle_document(plan, people, items, activity, readings(), stories()))
    shuffled = bundle_document(
        plan, people, items, activity, list(reversed(readings())), list(reversed(stories()))
    )
    assert dump_bundle(shuffled) == data


def test_no_pseudonyms_statement_ids_opt_outs_or_keys_in_a_bundle() -> None:
    text = dump_bundle(document()).decode()
    for word in ("hash", "statement", "opt_out", "pseudonym", "key"):
        assert word not in text.lower()


def test_bytes_are_sorted_indented_unescaped_with_a_final_newline() -> None:
    plan, people, items, activity = records()
    people[0] = replace(people[0], name="Zoë Ångström")
    data = dump_bundle(bundle_document(plan, people, items, activity))
    text = data.decode("utf-8")
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert "Zoë Ångström" in text
    assert text.startswith('{\n  "actions": [],\n  "activity": [')
    assert data == dump_bundle(bundle_document(plan, list(reversed(people)), items, activity))
    assert data == dump_bundle(json.loads(text))


def test_a_bundle_parses_back_into_the_same_records() -> None:
    plan, people, items, activity = records()
    parsed = parse_bundle(
        dump_bundle(bundle_document(plan, people, items, activity, readings(), stories()))
    )
    assert parsed.plan == plan
    assert sorted(parsed.people, key=lambda p: p.id) == sorted(people, key=lambda p: p.id)
    assert parsed.items == items
    assert sorted(parsed.stories, key=lambda s: s.id) == sorted(stories(), key=lambda s: s.id)
    assert {(r.item_id, r.metric_id, r.period): r.model_dump() for r in parsed.readings} == {
        r.key: {f: getattr(r, f) for f in vars(r) if f != "id"} for r in readings()
    }
    assert [a.model_dump() for a in parsed.activity] == [
        {
            "at": AT,
            "actor": "Dana Whitfield",
            "action": "create",
            "entity": "plan",
            "entity_id": "pl_support",
            "summary": "Created the plan 'Support rollout'",
            "before": None,
            "after": {"name": "Support rollout"},
            "version": 1,
        }
    ]


def test_json_content_is_told_from_csv_content() -> None:
    assert looks_like_bundle(b'{"format": 1}')
    assert looks_like_bundle(b'\xef\xbb\xbf\n  {"x": 1}')
    assert looks_like_bundle(b"{broken")
    assert not looks_like_bundle(b"tactic,title\r\npeer-circles,\r\n")
    assert not looks_like_bundle(b"\xef\xbb\xbftactic,owner\n")
    assert not looks_like_bundle(b"")


# --- bad bundles ------------------------------------------------------------------------------


def refused(data: bytes) -> str:
    with pytest.raises(ImportFormatError) as caught:
        parse_bundle(data, source="backup.json")
    message = str(caught.value)
    assert message.startswith("backup.json: ")
    assert "othing was imported" in message
    return message


def mutated(change: Any) -> bytes:
    doc = copy.deepcopy(document())
    change(doc)
    return as_bytes(doc)


def test_bad_json_names_line_and_column() -> None:
    message = refused(b'{\n  "format": "informal-learning-planner/bundle",\n  "version": 1,,\n}')
    assert "line 3, column 16: not valid JSON" in message


def test_not_utf8_is_refused() -> None:
    assert "not UTF-8" in refused(b'{"format": "\xff"}')


@pytest.mark.parametrize(
    "data",
    [b"[1, 2]", b'{"format": "something-else", "version": 1}', b'{"version": 1}', b"{}"],
)
def test_json_that_is_not_a_bundle_is_refused(data: bytes) -> None:
    assert "not a plan bundle" in refused(data)


def test_a_newer_format_version_asks_for_an_upgrade() -> None:
    message = refused(mutated(lambda d: d.update(version=5)))
    assert "made by a newer version of the planner; upgrade to import it" in message
    assert "format version 5, this planner reads up to version 4" in message


def test_reviews_and_actions_parse_back() -> None:
    parsed = parse_bundle(dump_bundle(document()))
    assert [r.id for r in parsed.reviews] == ["rv_a", "rv_b"]
    assert [d.text for d in parsed.reviews[0].decisions] == ["Keep going", "<b>x</b>"]
    assert [a.id for a in parsed.actions] == ["ac_a", "ac_b"]
    assert parsed.actions[0].closed_in_review == "rv_b"


def test_a_version_2_bundle_still_parses_without_reviews_or_actions() -> None:
    parsed = parse_bundle(as_bytes(version_2_document()))
    assert parsed.reviews == [] and parsed.actions == [] and len(parsed.stories) == 3


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (
            lambda d: d.update(reviews=document()["reviews"]),
            "reviews: a version 2 bundle has no reviews (they came with version 3)",
        ),
        (lambda d: d.update(actions=[]), "actions: not a field of a version 2 bundle"),
    ],
)
def test_a_version_2_bundle_with_reviews_is_refused(change: Any, where: str) -> None:
    doc = version_2_document()
    change(doc)
    assert where in refused(as_bytes(doc))


def test_a_version_1_bundle_still_parses_without_readings_or_stories() -> None:
    plan, _, items, _ = records()
    parsed = parse_bundle(as_bytes(version_1_document()))
    assert (parsed.plan, parsed.items) == (plan, items)
    assert parsed.readings == [] and parsed.stories == []


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (
            lambda d: d.update(readings=document()["readings"]),
            "readings: a version 1 bundle has no readings",
        ),
        (lambda d: d.update(stories=[]), "stories: not a field of a version 1 bundle"),
        (lambda d: d["plan"].update(colour="red"), "plan.colour: not a field of a version 1"),
    ],
)
def test_a_version_1_bundle_with_what_version_1_never_had_is_refused(
    change: Any, where: str
) -> None:
    doc = version_1_document()
    change(doc)
    assert where in refused(as_bytes(doc))


@pytest.mark.parametrize("version", [0, "1", None, 1.5, True])
def test_a_version_that_is_not_a_version_number_is_refused(version: Any) -> None:
    assert "version" in refused(mutated(lambda d: d.update(version=version)))


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d["items"][1].update(status="finished"), "items[1].status: must be one of"),
        (lambda d: d["items"][0].pop("title"), "items[0].title: missing"),
        (lambda d: d["items"][2].update(duration_weeks="3"), "items[2].duration_weeks"),
        (lambda d: d["items"][2].update(duration_weeks=0), "items[2].duration_weeks"),
        (lambda d: d["plan"].update(start_date="11/01/2027"), "plan.start_date"),
        (lambda d: d["plan"].update(review_cadence="daily"), "plan.review_cadence"),
        (lambda d: d["plan"].pop("id"), "plan.id: missing"),
        (lambda d: d.pop("plan"), "plan: missing"),
        (lambda d: d["people"][0].update(capacity_hours_per_week="lots"), "people[0].capacity"),
        (lambda d: d["people"].append("Kim"), "people[2]"),
        (lambda d: d.update(items={}), "items"),
        (lambda d: d["items"][0].update(colour="red"), "items[0].colour: not a field"),
        (lambda d: d["activity"][0].update(at="2027-01-11T09:30:00"), "activity[0].at"),
        (lambda d: d["reviews"][0].pop("snapshot"), "reviews[0].snapshot: missing"),
        (
            lambda d: d["reviews"][0]["snapshot"].pop("rows"),
            "reviews[0].snapshot: a review snapshot needs rows",
        ),
        (lambda d: d["reviews"][0].update(date="soon"), "reviews[0].date"),
        (lambda d: d["actions"][0].update(status="later"), "actions[0].status: must be one of"),
        (lambda d: d["actions"][0].update(text=" "), "actions[0].text"),
        (lambda d: d.update(readings={}), "readings: Input should be a valid array"),
        (lambda d: d["readings"][0].pop("value"), "readings[0].value: missing"),
        (lambda d: d["readings"][0].update(value="4"), "readings[0].value"),
        (lambda d: d["readings"][0].update(value=None), "readings[0].value"),
        (
            lambda d: d["readings"][0].update(value=float("nan")),
            "readings[0].value: Input should be a finite number",
        ),
        (lambda d: d["readings"][0].update(date="31/01/2027"), "readings[0].date"),
        (lambda d: d["readings"][0].update(source="fax"), "readings[0].source: must be one of"),
        (lambda d: d["readings"][0].update(id=7), "readings[0].id: not a field of a version 4"),
        (lambda d: d["readings"][0].pop("recorded_at"), "readings[0].recorded_at: missing"),
        (
            lambda d: d["readings"][0].update(recorded_at="2027-02-03T16:05:07"),
            "readings[0].recorded_at",
        ),
        (lambda d: d["readings"][0].update(item_id="it a"), "readings[0].item_id"),
        (lambda d: d["readings"][0].update(recorded_by="r" * 201), "readings[0].recorded_by"),
        (lambda d: d["stories"][0].pop("text"), "stories[0].text: missing"),
        (lambda d: d["stories"][0].update(title="  "), "stories[0].title: must not be blank"),
        (lambda d: d["stories"][0].update(author="a" * 201), "stories[0].author"),
        (
            lambda d: d["stories"][0].update(value_cycle="value-huge"),
            "stories[0].value_cycle: must be one of value-immediate",
        ),
        (lambda d: d["stories"][0].update(date=20270120), "stories[0].date"),
        (lambda d: d["stories"][0].update(id="st/1"), "stories[0].id"),
        (lambda d: d["stories"][0].update(likes=3), "stories[0].likes: not a field"),
        (
            lambda d: next(iter(d["tactic_snapshots"].values())).update(duration_weeks="x"),
            "tactic_snapshots.",
        ),
    ],
)
def test_wrong_types_and_missing_fields_are_refused_with_their_json_path(
    change: Any, where: str
) -> None:
    assert where in refused(mutated(change))


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d["items"][0].update(owner_id="pe_ghost"), "items[0].owner_id: no person"),
        (lambda d: d["plan"].update(lead_id="pe_ghost"), "plan.lead_id: no person 'pe_ghost'"),
        (
            lambda d: d["items"][1].update(tactic_snapshot="0" * 64),
            "items[1].tactic_snapshot: no snapshot",
        ),
        (
            lambda d: d["items"][1].update(tactic_snapshot=None),
            "items[1]: an item following a tactic needs both",
        ),
        (lambda d: d["items"][2].update(id="it_a"), "items[2].id: 'it_a' appears twice"),
        (lambda d: d["people"][1].update(id="pe_dana"), "people[1].id: 'pe_dana' appears twice"),
        (
            lambda d: d["people"][1].update(email="DANA@example.org"),
            "people[1].email: 'dana@example.org' is also the email of people[0]",
        ),
        (lambda d: d["people"][0].update(email="not an email"), "people[0]:"),
        (
            lambda d: d["items"][0]["targets"].append({"metric_id": "ghost", "value": 1}),
            "items[0]: The item 'Peer circles' has no metric 'ghost'",
        ),
        (
            lambda d: d["plan"].update(at_risk_threshold=0.5, off_track_threshold=0.6),
            "plan: Thresholds",
        ),
        (lambda d: d["activity"][0].update(version=9), "activity[0].version: 9 is later"),
        (
            lambda d: d["readings"][0].update(item_id="it_ghost"),
            "readings[0].item_id: no item 'it_ghost' in items",
        ),
        (
            lambda d: d["readings"][1].update(period="2027-01", period_start="2027-01-01"),
            "readings[1]: item 'it_a', metric 'members', period 2027-01 already has a reading "
            "(readings[0]); a period holds one reading",
        ),
        (
            lambda d: d["readings"][0].update(period="January"),
            "readings[0].period: 'January' is not a period",
        ),
        (
            lambda d: d["readings"][0].update(period="2027-W04", period_start="2027-01-25"),
            "readings[0].period: 2027-W04 is a weekly period, but metric 'members' of item "
            "'it_a' is measured monthly",
        ),
        (
            lambda d: d["readings"][0].update(period="2027-1"),
            "readings[0].period: '2027-1' is not a period",
        ),
        (
            lambda d: d["readings"][0].update(date="2027-02-01"),
            "readings[0].date: 2027-02-01 is not in the period 2027-01 (2027-01-01 to 2027-01-31)",
        ),
        (
            lambda d: d["readings"][0].update(period_start="2027-01-02"),
            "readings[0].period_start: 2027-01 starts on 2027-01-01, not 2027-01-02",
        ),
        (
            lambda d: d["stories"][2].update(item_id="it_ghost"),
            "stories[2].item_id: no item 'it_ghost' in items",
        ),
        (
            lambda d: d["stories"][2].update(id="st_c"),
            "stories[2].id: 'st_c' appears twice",
        ),
        (
            lambda d: d["actions"][0].update(owner_id="pe_ghost"),
            "actions[0].owner_id: no person 'pe_ghost' in people",
        ),
        (
            lambda d: d["actions"][1].update(created_in_review="rv_ghost"),
            "actions[1].created_in_review: no review 'rv_ghost' in reviews",
        ),
        (
            lambda d: d["actions"][0].update(status="open"),
            "actions[0].closed_in_review: an open action item is not closed",
        ),
        (lambda d: d["actions"][1].update(id="ac_a"), "actions[1].id: 'ac_a' appears twice"),
        (lambda d: d["reviews"][1].update(id="rv_a"), "reviews[1].id: 'rv_a' appears twice"),
    ],
)
def test_dangling_references_and_broken_rules_are_refused_with_their_path(
    change: Any, where: str
) -> None:
    assert where in refused(mutated(change))


def test_every_problem_is_listed_not_only_the_first() -> None:
    def break_twice(d: dict[str, Any]) -> None:
        d["items"][0]["owner_id"] = "pe_ghost"
        d["items"][2]["owner_id"] = "pe_other_ghost"

    message = refused(mutated(break_twice))
    assert message.startswith("backup.json: 2 problems; nothing was imported.")
    assert "items[0].owner_id" in message and "items[2].owner_id" in message


def test_a_community_item_takes_readings_of_the_reserved_health_metrics() -> None:
    plan, people, items, activity = records()
    items[0] = replace(items[0], cop_stage="coalescing")
    week = period_of(date(2027, 1, 20), "weekly")
    contributors = reading(
        "it_a", "contributors", date(2027, 1, 20), 3.0, period=week.key, period_start=week.start
    )
    data = dump_bundle(bundle_document(plan, people, items, activity, [contributors]))
    [parsed] = parse_bundle(data).readings
    assert (parsed.metric_id, parsed.period, parsed.value) == ("contributors", "2027-W03", 3.0)
    # A reading of a metric the item no longer has (its metric was edited since) is a fact
    # the database holds: a backup restores it rather than refusing the whole plan.
    other = replace(contributors, item_id="it_c")
    [kept] = parse_bundle(
        dump_bundle(bundle_document(plan, people, items, activity, [other]))
    ).readings
    assert (kept.item_id, kept.metric_id) == ("it_c", "contributors")


def test_item_effort_goes_into_the_bundle_only_when_the_item_has_its_own() -> None:
    plan, people, items, activity = records()
    before = dump_bundle(bundle_document(plan, people, items, activity, readings(), stories()))
    assert b"effort_hours_per_week" not in before.split(b'"tactic_snapshots"')[0]

    own = [replace(items[0], effort_hours_per_week=1.5), *items[1:]]
    after = dump_bundle(bundle_document(plan, people, own, activity, readings(), stories()))
    assert json.loads(after)["items"][0]["effort_hours_per_week"] == 1.5
    assert parse_bundle(after).items == own
    # an older bundle, without the field, still imports, with the tactic's figure
    assert all(i.effort_hours_per_week is None for i in parse_bundle(before).items)


def test_an_effort_out_of_bounds_is_refused_with_its_path() -> None:
    plan, people, items, activity = records()
    doc = bundle_document(plan, people, items, activity, readings(), stories())
    doc["items"][0]["effort_hours_per_week"] = 99
    with pytest.raises(ImportFormatError, match=r"items\[0\]\.effort_hours_per_week"):
        parse_bundle(dump_bundle(doc))


# --- the saved channel mapping (version 4) ----------------------------------------------------


def test_the_channel_mapping_is_written_in_name_order_as_compared() -> None:
    shuffled = [CHANNELS[2], CHANNELS[0], CHANNELS[1]]
    doc = bundle_document(*records(), channel_mapping=shuffled)
    assert doc["channel_mapping"] == [
        {"name": "Ask Support", "item_id": "it_c"},
        {"name": "ask-ops", "item_id": "it_a"},
        {"name": "#support-circles", "item_id": "it_a"},
    ]
    assert bundle_document(*records())["channel_mapping"] == []


def test_the_channel_mapping_parses_back_as_rows_to_store() -> None:
    parsed = parse_bundle(dump_bundle(document()))
    assert parsed.channel_mapping == [
        ("ask support", "Ask Support", "it_c"),
        ("ask-ops", "ask-ops", "it_a"),
        ("support-circles", "#support-circles", "it_a"),
    ]


def test_a_version_3_bundle_still_parses_without_a_channel_mapping() -> None:
    parsed = parse_bundle(as_bytes(version_3_document()))
    assert parsed.channel_mapping == [] and [a.id for a in parsed.actions] == ["ac_a", "ac_b"]


def test_a_version_3_bundle_with_a_channel_mapping_is_refused() -> None:
    doc = version_3_document()
    doc["channel_mapping"] = []
    assert "channel_mapping: not a field of a version 3 bundle" in refused(as_bytes(doc))


@pytest.mark.parametrize(
    ("entry", "where"),
    [
        ({"name": "Elsewhere", "item_id": "it_zz"}, "channel_mapping[3]: no item 'it_zz'"),
        ({"name": "SUPPORT-circles", "item_id": "it_b"}, "channel_mapping[3]: '#support-circles'"),
        ({"name": "   ", "item_id": "it_b"}, "channel_mapping[3]: a channel name is empty"),
        ({"name": "x" * 301, "item_id": "it_b"}, "channel_mapping[3].name: String should have"),
        ({"name": "ok", "item_id": "it b"}, "channel_mapping[3].item_id:"),
        ({"name": "ok"}, "channel_mapping[3].item_id: missing (required)"),
    ],
)
def test_a_broken_channel_mapping_is_refused_with_its_place(
    entry: dict[str, Any], where: str
) -> None:
    assert where in refused(mutated(lambda d: d["channel_mapping"].append(entry)))


def test_a_channel_mapping_over_its_limit_is_refused() -> None:
    from planner.domain.channel_mapping import MAX_CHANNEL_MAPPING

    many = [{"name": f"c{n}", "item_id": "it_a"} for n in range(MAX_CHANNEL_MAPPING + 1)]
    message = refused(mutated(lambda d: d.update(channel_mapping=many)))
    assert "channel_mapping: 1,001 channel names; a plan's mapping holds at most 1,000" in message
    exact = [{"name": f"c{n}", "item_id": "it_a"} for n in range(MAX_CHANNEL_MAPPING)]
    assert len(
        parse_bundle(mutated(lambda d: d.update(channel_mapping=exact))).channel_mapping
    ) == (MAX_CHANNEL_MAPPING)
