"""xAPI 1.0.3 data rules (planner.exchange.xapi_spec) wherever their kind of value may appear.

A valid statement using every optional property passes (and so does each optional piece alone);
a corpus of statements, each breaking one rule, is refused with a reason naming the JSON path,
through `validate_statement` and through the import (FILE:N).
"""

from __future__ import annotations

import copy
import io
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from planner.exchange import xapi_spec
from planner.exchange.xapi import aggregate
from planner.exchange.xapi_matching import Mapping
from planner.exchange.xapi_statements import validate_statement

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
UUID1 = "fd41c918-b88b-4b20-a0a5-a4c32391aaa0"
UUID2 = "7ccd3322-e1a5-411a-a67d-6a735c76f119"
EX = "https://example.org/"
AGENT = {"objectType": "Agent", "name": "Ada", "mbox": "mailto:ada@example.org"}
AGENT2 = {"account": {"homePage": "https://lms.example.org", "name": "bob"}}
ACTIVITY = {"objectType": "Activity", "id": EX + "activities/1"}


def full_statement() -> dict[str, Any]:
    """Every optional property of a statement (bar those that exclude each other)."""
    return {
        "id": UUID1,
        "actor": {
            "objectType": "Group",
            "name": "Tier 2",
            "mbox_sha1sum": "a" * 40,
            "member": [AGENT, {"openid": "https://id.example.org/c"}, AGENT2],
        },
        "verb": {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"en-US": "answered"}},
        "object": {
            "objectType": "Activity",
            "id": EX + "questions/1",
            "definition": {
                "name": {"en-US": "Question 1", "de-CH-1996": "Frage 1"},
                "description": {"zh-Hant-TW": "問題", "x-klingon": "qaStaH"},
                "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
                "moreInfo": EX + "questions/1/help",
                "extensions": {EX + "ext/difficulty": None, EX + "ext/tags": ["a", {"b": 1}]},
                "interactionType": "choice",
                "correctResponsesPattern": ["golf[,]tetris"],
                "choices": [
                    {"id": "golf", "description": {"en-US": "Golf"}},
                    {"id": "tetris", "description": {"en-GB": "Tetris"}},
                ],
            },
        },
        "result": {
            "score": {"scaled": 0.95, "raw": 95, "min": 0, "max": 100},
            "success": True,
            "completion": False,
            "response": "golf[,]tetris",
            "duration": "PT1H2M3.5S",
            "extensions": {EX + "ext/attempts": 2},
        },
        "context": {
            "registration": UUID2,
            "instructor": {"objectType": "Agent", "name": "Grace", "mbox": "mailto:g@example.org"},
            "team": {"objectType": "Group", "member": [AGENT2]},
            "contextActivities": {
                "parent": ACTIVITY,
                "grouping": [ACTIVITY, {"id": EX + "courses/1"}],
                "category": [
                    {"id": EX + "profiles/cmi5", "definition": {"type": EX + "types/profile"}}
                ],
                "other": [],
            },
            "revision": "2",
            "platform": "Moodle",
            "language": "en-US",
            "statement": {"objectType": "StatementRef", "id": UUID2},
            "extensions": {EX + "ext/room": "4b"},
        },
        "timestamp": "2027-01-12T10:00:00.123+01:00",
        "stored": "2027-01-12T09:00:01Z",
        "authority": {
            "objectType": "Group",
            "member": [
                {"account": {"homePage": "https://lrs.example.org", "name": "app-key"}},
                {"mbox": "mailto:admin@example.org"},
            ],
        },
        "version": "1.0.3",
        "attachments": [
            {
                "usageType": "http://adlnet.gov/expapi/attachments/signature",
                "display": {"en-US": "Signature"},
                "description": {"en-US": "A test signature"},
                "contentType": "application/octet-stream",
                "length": 4235,
                "sha2": "672fa5fa658017f1b72d65036f13379c6ab05d4ab3b6664908d8acf0b6a0c634",
                "fileUrl": EX + "files/sig",
            }
        ],
    }


def sub_statement() -> dict[str, Any]:
    full = full_statement()
    return {
        "objectType": "SubStatement",
        "actor": AGENT,
        "verb": {"id": "http://adlnet.gov/expapi/verbs/planned", "display": {"en-US": "planned"}},
        "object": full["object"],
        "result": full["result"],
        "context": full["context"],
        "timestamp": "2027-01-11T10:00:00Z",
        "attachments": full["attachments"],
    }


def with_(path: str, value: Any, base: dict[str, Any] | None = None) -> dict[str, Any]:
    """A copy of the full statement with the value at a dotted path (list indexes as numbers)
    set, or removed when value is `...`."""
    stmt = copy.deepcopy(base if base is not None else full_statement())
    *parents, last = path.split(".")
    node: Any = stmt
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    key: Any = int(last) if isinstance(node, list) else last
    if value is ...:
        del node[key]
    else:
        node[key] = value
    return stmt


def errors_of(stmt: Any) -> list[str]:
    result = validate_statement(stmt, now=NOW)
    assert result.info is None, "expected the statement to be refused"
    return result.errors


def assert_valid(stmt: Any) -> None:
    result = validate_statement(stmt, now=NOW)
    assert result.errors == [], result.errors
    assert result.info is not None


# --- valid statements ----------------------------------------------------------------------------


def test_a_statement_with_every_optional_property_passes() -> None:
    assert_valid(full_statement())


def test_a_substatement_with_every_property_it_may_have_passes() -> None:
    stmt = with_("object", sub_statement())
    del stmt["context"]["revision"], stmt["context"]["platform"]  # object is a SubStatement
    assert_valid(stmt)


VALID_VARIANTS = [
    ("object.definition.interactionType", "sequencing"),
    ("object.definition", {"interactionType": "true-false", "correctResponsesPattern": ["true"]}),
    ("object.definition", {"interactionType": "fill-in"}),
    ("object.definition", {"interactionType": "long-fill-in"}),
    ("object.definition", {"interactionType": "numeric", "correctResponsesPattern": ["4[:]"]}),
    ("object.definition", {"interactionType": "other"}),
    (
        "object.definition",
        {
            "interactionType": "likert",
            "scale": [{"id": "likert_0", "description": {"en-US": "No"}}, {"id": "likert_1"}],
        },
    ),
    (
        "object.definition",
        {
            "interactionType": "matching",
            "source": [{"id": "ben", "description": {"en-US": "Ben"}}],
            "target": [{"id": "3", "description": {"en-US": "Swimming"}}],
        },
    ),
    ("object.definition", {"interactionType": "performance", "steps": [{"id": "pong"}]}),
    ("object", {"objectType": "Agent", "account": {"homePage": EX, "name": "x"}}),
    ("object", {"objectType": "Group", "openid": "https://id.example.org/team"}),
    ("object", {"objectType": "StatementRef", "id": UUID2}),
    ("context.contextActivities", {"parent": [ACTIVITY]}),
    ("context.contextActivities", {}),
    ("context.instructor", {"objectType": "Group", "member": [AGENT]}),
    ("context.team", {"objectType": "Group", "account": {"homePage": EX, "name": "t"}}),
    ("context.language", "zh-Hans"),
    ("context.language", "sgn-BE-FR"),
    ("context.language", "en-a-bbb-x-a-ccc"),
    ("object.definition.name", {"und": "x", "es-419": "y", "i-klingon": "z"}),
    ("authority", {"mbox": "mailto:lrs@example.org"}),
    ("authority", AGENT2),
    ("version", "1.0.0"),
    ("result.duration", "P1Y2M3DT4H5M6S"),
    ("result.duration", "P3W"),
    ("result.duration", "PT0.5S"),
    ("result.duration", "P1D"),
    ("result.score", {"scaled": -1}),
    ("result.score", {"scaled": 1, "raw": -5, "min": -10}),
    ("result.score", {"raw": 3.5}),
    ("result", {}),
    ("result.extensions", {}),
    ("context", {"extensions": {"urn:x-example:key": None}}),
    ("timestamp", "2027-01-12T10:00:00.123456789-05:00"),
    ("attachments", []),
    ("attachments.0.fileUrl", ...),
    ("attachments.0.description", ...),
]


@pytest.mark.parametrize(("path", "value"), VALID_VARIANTS)
def test_valid_variants_pass(path: str, value: Any) -> None:
    stmt = with_(path, value)
    if path == "object" and value.get("objectType") != "Activity":
        del stmt["context"]["revision"], stmt["context"]["platform"]
    assert_valid(stmt)


# --- invalid statements: one rule each, refused with the path ------------------------------------

S = "object."  # the SubStatement's prefix in messages
INVALID_CASES: list[tuple[str, Any, str]] = [
    # the statement
    ("colour", "red", "has properties xAPI 1.0.3 does not define: colour"),
    ("id", None, "id is null"),
    ("stored", "soon", 'stored "soon" is not an ISO 8601'),
    ("version", "2.0.0", 'version "2.0.0" must be 1.0.x'),
    ("version", "1.0", 'version "1.0" must be 1.0.x'),
    ("version", 1.0, "version 1.0 must be 1.0.x"),
    ("result", None, "result is null"),
    # authority
    ("authority", {"name": "LRS"}, "authority has no identifier"),
    ("authority.member.1.mbox", "admin@example.org", "authority.member[1].mbox must be a mailto"),
    ("authority.member", [AGENT], "authority must be an Agent, or a Group of exactly 2 Agents"),
    ("authority", {"objectType": "Activity", "id": EX}, "authority.objectType"),
    ("authority.member.0.account.homePage", "lrs", "authority.member[0].account.homePage must"),
    # agents and groups wherever they are
    ("actor.member.0.colour", "red", "actor.member[0].colour is not a property of an Agent"),
    ("actor.member.0.name", 7, "actor.member[0].name must be text"),
    ("actor.member.0.name", None, "actor.member[0].name is null"),
    ("actor.member.2.account.id", "x", "actor.member[2].account.id is not a property"),
    ("actor.member.1", {"objectType": "Group", "member": [AGENT]}, "actor.member[1] is a Group"),
    ("actor.colour", "red", "actor.colour is not a property of a Group"),
    ("actor.mbox_sha1sum", "abc", "actor.mbox_sha1sum must be 40 hexadecimal"),
    ("context.instructor.mbox", "g@example.org", "context.instructor.mbox must be a mailto: IRI"),
    ("context.instructor", {"name": "Grace"}, "context.instructor has no identifier"),
    ("context.instructor.objectType", "Person", "context.instructor.objectType"),
    ("context.instructor.openid", "https://id.example.org/g", "context.instructor has 2 identif"),
    ("context.team", AGENT, "context.team must be a Group"),
    ("context.team.member", [], "context.team is an anonymous Group"),
    ("context.team.member.0.account.name", "", "context.team.member[0].account.name must be non"),
    ("context.team.member.0.account.homePage", ..., "context.team.member[0].account.homePage is"),
    ("object", {"objectType": "Agent", "name": 3, "mbox": "mailto:a@x.org"}, "object.name must"),
    ("object", {"objectType": "Group", "member": "all"}, "object.member must be a list of Agents"),
    # verb
    ("verb.display", {"en_GB": "answered"}, 'verb.display: "en_GB" is not an RFC 5646'),
    ("verb.display", {"en-US": 1}, "verb.display.en-US must be text"),
    ("verb.display", "answered", "verb.display must be a language map"),
    ("verb.colour", "red", "verb.colour is not a property of a Verb"),
    ("verb.display", None, "verb.display is null"),
    # activity and definition
    ("object.colour", "red", "object.colour is not a property of an Activity"),
    ("object.definition.name", {"en_US": "Q"}, 'object.definition.name: "en_US" is not an RFC'),
    ("object.definition.description", {"en-US": ["Q"]}, "object.definition.description.en-US"),
    ("object.definition.name", {"a-DE": "Q"}, 'object.definition.name: "a-DE" is not'),
    ("object.definition.name", {"en-US-": "Q"}, "is not an RFC 5646 language tag"),
    ("object.definition.name", {"": "Q"}, 'object.definition.name: "" is not an RFC 5646'),
    ("object.definition.moreInfo", "help page", 'object.definition.moreInfo "help page" is not'),
    ("object.definition.type", "forum", 'object.definition.type "forum" is not an IRI'),
    ("object.definition.extensions", {"difficulty": 3}, 'extensions: key "difficulty" is not an'),
    ("object.definition.extensions", [1], "object.definition.extensions must be an object"),
    ("object.definition.interactionType", "Choice", 'interactionType "Choice" must be one of'),
    ("object.definition.interactionType", "essay", "must be one of true-false, choice"),
    ("object.definition.interactionType", "likert", "definition.choices is only allowed with"),
    ("object.definition.interactionType", ..., "object.definition.choices is only allowed with"),
    ("object.definition.correctResponsesPattern", "golf", "correctResponsesPattern must be a list"),
    ("object.definition.correctResponsesPattern", [1], "correctResponsesPattern[0] must be text"),
    ("object.definition.choices", {"id": "golf"}, "object.definition.choices must be a list"),
    ("object.definition.choices.0.id", 1, "object.definition.choices[0].id must be text"),
    ("object.definition.choices.0.id", ..., "object.definition.choices[0].id is missing"),
    ("object.definition.choices.1.id", "golf", "choices: ids must be distinct within the list"),
    ("object.definition.choices.0.colour", "red", "choices[0].colour is not a property of an int"),
    ("object.definition.choices.0.description", {"EN US": "x"}, 'choices[0].description: "EN US'),
    (
        "object.definition.scale",
        [{"id": "x"}],
        "definition.scale is only allowed with interactionTy",
    ),
    (
        "object.definition.steps",
        [{"id": "x"}],
        "definition.steps is only allowed with interactionTy",
    ),
    (
        "object.definition.source",
        [{"id": "x"}],
        "definition.source is only allowed with interactio",
    ),
    (
        "object.definition.target",
        [{"id": "x"}],
        "definition.target is only allowed with interactio",
    ),
    ("object.definition", {"correctResponsesPattern": ["a"]}, "needs an interactionType"),
    ("object.definition", "a question", "object.definition must be an object"),
    ("object.objectType", "activity", 'object.objectType "activity" is not one of'),
    # result
    ("result.score.scaled", 1.5, "result.score.scaled 1.5 must be between -1 and 1"),
    ("result.score.scaled", "0.9", "result.score.scaled must be a number"),
    ("result.score.raw", 101, "result.score.raw 101 is above result.score.max 100"),
    ("result.score.raw", -1, "result.score.raw -1 is below result.score.min 0"),
    ("result.score.min", 100, "result.score.min 100 must be less than result.score.max 100"),
    ("result.score.max", True, "result.score.max must be a number"),
    ("result.score.grade", "A", "result.score.grade is not a property of a score"),
    ("result.score", 95, "result.score must be an object"),
    ("result.success", "true", "result.success must be true or false"),
    ("result.completion", 1, "result.completion must be true or false"),
    ("result.response", ["golf"], "result.response must be text"),
    ("result.duration", "1 hour", 'result.duration "1 hour" is not an ISO 8601 duration'),
    ("result.duration", "PT", 'result.duration "PT" is not an ISO 8601 duration'),
    ("result.duration", "P", 'result.duration "P" is not an ISO 8601 duration'),
    ("result.duration", 3600, "result.duration 3600 is not an ISO 8601 duration"),
    ("result.extensions", {"attempts": 2}, 'result.extensions: key "attempts" is not an IRI'),
    ("result.grade", "A", "result.grade is not a property of a result"),
    # context
    ("context.registration", "r1", 'context.registration "r1" is not a UUID'),
    ("context.language", "en_GB", 'context.language "en_GB" is not an RFC 5646'),
    ("context.language", None, "context.language is null"),
    ("context.revision", 2, "context.revision must be text"),
    ("context.platform", ["Moodle"], "context.platform must be text"),
    ("context.statement", {"id": UUID2}, "context.statement.objectType must be StatementRef"),
    ("context.statement.id", "42", 'context.statement.id "42" is not a UUID'),
    ("context.statement.colour", "red", "context.statement.colour is not a property of a State"),
    ("context.extensions", {"room": "4b"}, 'context.extensions: key "room" is not an IRI'),
    ("context.contextActivities.parent.id", "quiz", 'contextActivities.parent.id "quiz" is not'),
    ("context.contextActivities.grouping.1.id", ..., "contextActivities.grouping[1].id (missing)"),
    ("context.contextActivities.category.0.definition.type", "x", "category[0].definition.type"),
    ("context.contextActivities.other", ["x"], "context.contextActivities.other[0] must be an obj"),
    ("context.contextActivities.related", [ACTIVITY], "contextActivities.related is not a propert"),
    ("context.contextActivities.parent.objectType", "Agent", 'parent.objectType "Agent" must be'),
    ("context.mood", "good", "context.mood is not a property of a context"),
    # attachments
    ("attachments", {}, "attachments must be a list"),
    ("attachments.0.usageType", "signature", 'attachments[0].usageType "signature" is not an IRI'),
    ("attachments.0.display", ..., "attachments[0].display is missing"),
    ("attachments.0.display", {"E": "x"}, 'attachments[0].display: "E" is not an RFC'),
    ("attachments.0.description", {"en-US": 1}, "attachments[0].description.en-US must be text"),
    ("attachments.0.contentType", 1, "attachments[0].contentType must be text"),
    ("attachments.0.length", "4235", "attachments[0].length must be a whole number"),
    ("attachments.0.length", 1.5, "attachments[0].length must be a whole number"),
    ("attachments.0.sha2", ..., "attachments[0].sha2 is missing"),
    ("attachments.0.fileUrl", "sig", 'attachments[0].fileUrl "sig" is not an IRL'),
    ("attachments.0.name", "sig", "attachments[0].name is not a property of an attachment"),
]


@pytest.mark.parametrize(("path", "value", "expected"), INVALID_CASES)
def test_each_rule_is_applied_with_its_path(path: str, value: Any, expected: str) -> None:
    found = errors_of(with_(path, value))
    assert any(expected in e for e in found), found


# The same rules inside a SubStatement, with the SubStatement's path.
SUB_CASES: list[tuple[str, Any, str]] = [
    ("object.context.instructor.mbox", "g@x.org", "object.context.instructor.mbox must be a mailt"),
    ("object.context.team", AGENT, "object.context.team must be a Group"),
    ("object.context.language", "en_GB", 'object.context.language "en_GB" is not an RFC'),
    ("object.context.registration", "r1", 'object.context.registration "r1" is not a UUID'),
    ("object.result.score.scaled", 2, "object.result.score.scaled 2 must be between -1 and 1"),
    ("object.result.duration", "1h", 'object.result.duration "1h" is not an ISO 8601 duration'),
    ("object.result.success", "yes", "object.result.success must be true or false"),
    ("object.result.extensions", {"a": 1}, 'object.result.extensions: key "a" is not an IRI'),
    ("object.timestamp", "yesterday", 'object.timestamp "yesterday" is not an ISO 8601'),
    ("object.timestamp", "2027-02-30T10:00:00Z", "object.timestamp"),
    ("object.verb.display", {"en US": "x"}, 'object.verb.display: "en US" is not an RFC 5646'),
    ("object.actor.colour", "red", "object.actor.colour is not a property of an Agent"),
    ("object.object.definition.interactionType", "essay", "object.object.definition.interactionT"),
    ("object.object.definition.choices.0.id", 1, "object.object.definition.choices[0].id must be"),
    ("object.attachments.0.length", -1, "object.attachments[0].length must be a whole number"),
    ("object.stored", "2027-01-12T09:00:01Z", "object: a SubStatement cannot have 'stored'"),
    ("object.version", "1.0.0", "object: a SubStatement cannot have 'version'"),
    ("object.authority", AGENT, "object: a SubStatement cannot have 'authority'"),
    ("object.colour", "red", "object: has properties xAPI 1.0.3 does not define: colour"),
    ("object.context.revision", "2", ""),  # allowed: the SubStatement's object is an Activity
]


def _sub_base() -> dict[str, Any]:
    stmt = with_("object", sub_statement())
    del stmt["context"]["revision"], stmt["context"]["platform"]
    return stmt


@pytest.mark.parametrize(("path", "value", "expected"), SUB_CASES)
def test_substatements_follow_the_same_rules(path: str, value: Any, expected: str) -> None:
    stmt = with_(path, value, _sub_base())
    if not expected:
        assert_valid(stmt)
        return
    found = errors_of(stmt)
    assert any(expected in e for e in found), found


def test_revision_and_platform_only_when_the_object_is_an_activity() -> None:
    stmt = with_("object", {"objectType": "StatementRef", "id": UUID2})
    found = errors_of(stmt)
    assert any(
        "context.revision is only allowed when the object is an Activity" in e for e in found
    )
    assert any(
        "context.platform is only allowed when the object is an Activity" in e for e in found
    )
    sub = _sub_base()
    sub["object"]["context"]["platform"] = "x"
    sub["object"]["object"] = AGENT
    assert "object.context.platform is only allowed when the object is an Activity" in " ".join(
        errors_of(sub)
    )


def test_every_problem_is_reported_at_once() -> None:
    stmt = with_("result.success", "yes")
    stmt["context"]["language"] = "en_GB"
    stmt["authority"] = {"name": "LRS"}
    assert len(errors_of(stmt)) == 3


def test_no_message_quotes_an_identifier() -> None:
    stmt = with_("context.instructor", {"mbox": "grace@example.org", "openid": "grace at home"})
    stmt["authority"] = {"mbox_sha1sum": "grace"}
    stmt["context"]["team"]["member"][0]["account"]["homePage"] = "grace-home"
    assert "grace" not in " ".join(errors_of(stmt)).lower()


def test_language_tags() -> None:
    good = [
        "en",
        "en-US",
        "zh-Hant-TW",
        "de-CH-1996",
        "sl-rozaj-biske",
        "x-whatever",
        "es-419",
        "zh-yue-HK",
        "en-GB-oed",
        "i-klingon",
        "hy-Latn-IT-arevela",
        "qaa-Qaaa-QM-x-southern",
    ]
    bad = [
        "",
        "e",
        "english-",
        "en_US",
        "en--US",
        "1en",
        "en-US-x",
        "abcdefghi",
        "en-" + "a" * 9,
        "x",
        "a" * 200,
        1,
        None,
    ]
    assert all(xapi_spec.is_language_tag(t) for t in good)
    assert not any(xapi_spec.is_language_tag(t) for t in bad)


def test_valid_and_invalid_statements_through_the_import(mapping: Mapping) -> None:
    """Through the import: refused statements are FILE:N with the path; valid ones count."""
    bad = with_("context.instructor.mbox", "g@example.org")
    bad["id"] = UUID2
    lines = "\n".join(json.dumps(s) for s in (full_statement(), bad)) + "\n"
    batch = aggregate(
        [("statements.json", io.BytesIO(lines.encode()))], mapping, key=b"k" * 32, now=NOW
    )
    assert batch.report.invalid == [
        (
            "statements.json:2",
            "context.instructor.mbox must be a mailto: IRI, e.g. mailto:name@example.org",
        )
    ]
    assert batch.report.total("valid") == 1


@pytest.fixture
def mapping() -> Mapping:
    return Mapping([])


def test_problems_per_statement_are_bounded() -> None:
    """A statement with thousands of bad keys lists MAX_PROBLEMS of them and counts the rest."""
    stmt = with_("object.definition.name", {f"bad_{i}": "x" for i in range(5000)})
    found = errors_of(stmt)
    assert len(found) == xapi_spec.MAX_PROBLEMS + 1
    assert found[-1] == f"and {5000 - xapi_spec.MAX_PROBLEMS:,} more problems"
    group = with_("actor.member", [{"mbox": "x"}] * 3000)
    batch_found = errors_of(group)
    assert len(batch_found) == xapi_spec.MAX_PROBLEMS + 1


def test_problems_are_bounded_through_the_import(mapping: Mapping) -> None:
    stmt = with_("actor.member", [{"mbox": "x"}] * 3000)
    batch = aggregate(
        [("s.json", io.BytesIO(json.dumps([stmt]).encode()))], mapping, key=b"k" * 32, now=NOW
    )
    ((position, reason),) = batch.report.invalid
    assert position == "s.json:1"
    assert reason.count("must be a mailto") == xapi_spec.MAX_PROBLEMS
    assert reason.endswith(f"and {3000 - xapi_spec.MAX_PROBLEMS:,} more problems")
