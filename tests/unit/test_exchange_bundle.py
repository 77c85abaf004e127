"""Plan bundles without a database: the document, its bytes, and every way a file can be bad."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest

from planner.domain import Metric
from planner.errors import ImportFormatError
from planner.exchange.bundle import (
    FORMAT,
    bundle_document,
    dump_bundle,
    looks_like_bundle,
    parse_bundle,
)
from planner.planning import ActivityEntry, Person, Plan, PlanItem, Target, item_from_tactic
from tests.integration.conftest import _metric, build_tactic

AT = datetime(2027, 1, 11, 9, 30, tzinfo=UTC)


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


def document() -> dict[str, Any]:
    return bundle_document(*records())


def as_bytes(doc: Any) -> bytes:
    return json.dumps(doc).encode()


# --- the document ---------------------------------------------------------------------------


def test_the_document_has_the_versioned_layout_and_shares_snapshots() -> None:
    doc = document()
    assert doc["format"] == FORMAT == "informal-learning-planner/bundle"
    assert doc["version"] == 1
    assert set(doc) == {
        "format",
        "version",
        "plan",
        "people",
        "items",
        "tactic_snapshots",
        "readings",
        "reviews",
        "activity",
    }
    assert doc["readings"] == [] and doc["reviews"] == []
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


def test_bytes_are_sorted_indented_unescaped_with_a_final_newline() -> None:
    plan, people, items, activity = records()
    people[0] = replace(people[0], name="Zoë Ångström")
    data = dump_bundle(bundle_document(plan, people, items, activity))
    text = data.decode("utf-8")
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert "Zoë Ångström" in text
    assert text.startswith('{\n  "activity": [')
    assert data == dump_bundle(bundle_document(plan, list(reversed(people)), items, activity))
    assert data == dump_bundle(json.loads(text))


def test_a_bundle_parses_back_into_the_same_records() -> None:
    plan, people, items, activity = records()
    parsed = parse_bundle(dump_bundle(bundle_document(plan, people, items, activity)))
    assert parsed.plan == plan
    assert sorted(parsed.people, key=lambda p: p.id) == sorted(people, key=lambda p: p.id)
    assert parsed.items == items
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
    message = refused(mutated(lambda d: d.update(version=2)))
    assert "made by a newer version of the planner; upgrade to import it" in message
    assert "version 2" in message


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
        (
            lambda d: d.update(readings=[{"value": 3}]),
            "readings: this version of the planner cannot",
        ),
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
