"""xAPI import without a database: reading, the specification's validity cases, voiding,
idempotency keys, opt-out, mapping, distinct people per period, pseudonymisation, memory."""

from __future__ import annotations

import copy
import hashlib
import io
import json
import sys
import tracemalloc
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import pytest

from planner.domain.planning import PlanItem
from planner.domain.playbook import Metric
from planner.domain.privacy import person_hash
from planner.exchange.xapi import aggregate
from planner.exchange.xapi_files import ParseError, read_statements
from planner.exchange.xapi_mapping import load_mapping
from planner.exchange.xapi_matching import Mapping
from planner.exchange.xapi_reports import FileReport, XapiBatch
from planner.exchange.xapi_statements import VOIDED, statement_key, validate_statement

KEY = b"k" * 32
NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
ASKED = "http://adlnet.gov/expapi/verbs/asked"
ANSWERED = "http://adlnet.gov/expapi/verbs/answered"
SPACE = "https://community.example.org/spaces/troubleshooting/"
EMAIL = "ada.lovelace@example.org"


def metric(metric_id: str, cadence: str) -> Metric:
    return Metric(
        id=metric_id,
        name=metric_id,
        unit="things",
        aggregation="sum",
        direction="higher",
        target=10,
        cadence=cadence,
        definition="Count the things that happened during the period.",
        framework="value-immediate",
    )


ITEMS = [
    PlanItem(
        id="it_cop",
        plan_id="pl",
        title="Community",
        duration_weeks=20,
        custom_metrics=[
            metric("questions", "weekly"),
            metric("active-members", "weekly"),
            metric("active-monthly", "monthly"),
            metric("active-quarterly", "quarterly"),
        ],
    )
]
RULES = f"""rules:
  - verb: {ASKED}
    activity: {SPACE}*
    item: it_cop
    metric: questions
    count: statements
  - verb: [{ASKED}, {ANSWERED}]
    activity: {SPACE}*
    item: it_cop
    metric: active-members
    count: people
  - verb: [{ASKED}, {ANSWERED}]
    item: it_cop
    metric: active-monthly
    count: people
  - verb: {ANSWERED}
    item: it_cop
    metric: active-quarterly
    count: people
"""


@pytest.fixture(scope="module")
def mapping() -> Mapping:
    return load_mapping(RULES.encode(), ITEMS, name="rules.yaml")


def statement(
    *,
    who: str = EMAIL,
    verb: str = ASKED,
    thread: int = 1,
    when: str | None = "2027-01-12T10:00:00Z",
    with_id: bool = True,
    **extra: Any,
) -> dict[str, Any]:
    stmt: dict[str, Any] = {
        "actor": {"objectType": "Agent", "name": "Ada Lovelace", "mbox": f"mailto:{who}"},
        "verb": {"id": verb, "display": {"en-US": verb.rsplit("/", 1)[-1]}},
        "object": {
            "objectType": "Activity",
            "id": f"{SPACE}threads/{thread}",
            "definition": {"type": "http://id.tincanapi.com/activitytype/forum-reply"},
        },
    }
    if with_id:
        stmt["id"] = str(uuid.uuid4())
    if when is not None:
        stmt["timestamp"] = when
    stmt.update(extra)
    return stmt


def as_array(statements: list[Any]) -> IO[bytes]:
    return io.BytesIO(json.dumps(statements, indent=1).encode())


def as_lines(statements: list[Any]) -> IO[bytes]:
    return io.BytesIO(b"".join(json.dumps(s).encode() + b"\n" for s in statements))


def as_result(statements: list[Any]) -> IO[bytes]:
    body = {"statements": statements, "more": "/xapi/statements?since=abc"}
    return io.BytesIO(json.dumps(body).encode())


def run(
    files: list[tuple[str, IO[bytes]]], mapping: Mapping, **kwargs: Any
) -> tuple[XapiBatch, dict[str, FileReport]]:
    kwargs.setdefault("key", KEY)
    kwargs.setdefault("now", NOW)
    batch = aggregate(files, mapping, **kwargs)
    return batch, {f.name: f for f in batch.report.files}


def hashed(email: str) -> str:
    return person_hash(email, KEY)


# --- validity cases from the specification --------------------------------------------------------


def errors_of(stmt: Any) -> list[str]:
    result = validate_statement(stmt, now=NOW)
    assert result.info is None, "expected the statement to be refused"
    return result.errors


def changed(path: str, value: Any) -> dict[str, Any]:
    """A valid statement with the value at a dotted path replaced (None removes it)."""
    stmt = statement()
    *parents, last = path.split(".")
    node = stmt
    for part in parents:
        node = node[part]
    if value is None:
        del node[last]
    else:
        node[last] = value
    return stmt


AGENT = {"objectType": "Agent", "mbox": "mailto:x@example.org"}
INVALID_CASES = [
    ("actor", None, "actor is missing"),
    ("verb", None, "verb is missing"),
    ("object", None, "object is missing"),
    ("actor", {"name": "No One"}, "actor has no identifier; an Agent needs exactly one of"),
    (
        "actor",
        {"mbox": "mailto:a@example.org", "openid": "https://id.example.org/a"},
        "actor has 2 identifiers (mbox, openid)",
    ),
    ("actor", {"mbox": "a@example.org"}, "actor.mbox must be a mailto: IRI"),
    ("actor", {"mbox_sha1sum": "not-a-sha1"}, "actor.mbox_sha1sum must be 40 hexadecimal"),
    ("actor", {"openid": "not an iri"}, "actor.openid must be an IRI"),
    ("actor", {"account": {"name": "ada"}}, "actor.account.homePage is missing"),
    ("actor", {"account": {"homePage": "https://x.org"}}, "actor.account.name is missing"),
    ("actor", {"account": {"homePage": "x.org", "name": "a"}}, "account.homePage must be an IRI"),
    ("actor", {"objectType": "Person", "mbox": "mailto:a@x.org"}, "must be Agent or Group"),
    (
        "actor",
        {"objectType": "Group", "member": [{"objectType": "Group", "member": [AGENT]}]},
        "actor.member[0] is a Group; groups cannot nest",
    ),
    ("actor", {"objectType": "Group", "name": "Tier 2"}, "anonymous Group"),
    ("actor", {"objectType": "Group", "member": []}, "anonymous Group"),
    (
        "actor",
        {"objectType": "Group", "mbox": "mailto:t@x.org", "openid": "https://x.org/t"},
        "actor has 2 identifiers",
    ),
    ("actor", {"objectType": "Group", "member": [{"name": "x"}]}, "member[0] has no identifier"),
    ("verb.id", "asked", 'verb.id "asked" is not an IRI'),
    ("verb.id", None, "verb.id (missing) is not an IRI"),
    ("verb", "http://adlnet.gov/expapi/verbs/asked", "verb must be an object"),
    ("object.id", "thread 42", 'object.id "thread 42" is not an IRI'),
    ("object.definition.type", "forum", 'object.definition.type "forum" is not an IRI'),
    ("object", {"objectType": "StatementRef", "id": "42"}, 'object.id "42" is not a UUID'),
    ("object", {"objectType": "Thing", "id": "https://x.org"}, "is not one of Activity"),
    ("object", {"objectType": "Agent", "mbox": "x@example.org"}, "object.mbox must be a mailto"),
    ("id", "42", 'id "42" is not a UUID'),
    ("id", "0f8fad5b-d9cb-469f-a165-70867728950", "is not a UUID"),
    ("timestamp", "yesterday", 'timestamp "yesterday" is not an ISO 8601 date and time'),
    ("timestamp", "2027-01-12", "is not an ISO 8601 date and time"),
    ("timestamp", "2027-02-30T10:00:00Z", "is not a real date and time"),
    ("timestamp", 1736676000, "is not an ISO 8601"),
    ("stored", "soon", 'stored "soon" is not an ISO 8601'),
    ("context", {"registration": "r1"}, 'context.registration "r1" is not a UUID'),
    ("result", [1], "result must be an object"),
]


@pytest.mark.parametrize(("path", "value", "expected"), INVALID_CASES)
def test_invalid_statements_each_get_their_reason(path: str, value: Any, expected: str) -> None:
    found = errors_of(changed(path, value))
    assert any(expected in e for e in found), found


def test_unknown_properties_are_refused() -> None:
    # xAPI 1.0.3 Data 2.2: a key the specification does not allow is refused (was a warning).
    assert errors_of(statement(colour="red", _id=1)) == [
        "has properties xAPI 1.0.3 does not define: _id, colour"
    ]


def test_a_statement_must_be_an_object() -> None:
    assert errors_of(["not", "a", "statement"]) == ["is not a statement (a JSON object)"]


def test_voiding_needs_a_statement_ref() -> None:
    found = errors_of(statement(verb=VOIDED))
    assert any("voiding statement (verb voided) must have a StatementRef" in e for e in found)


def test_substatement_rules() -> None:
    inner = {k: v for k, v in statement().items() if k in ("actor", "verb", "object")}
    ok = statement(object={"objectType": "SubStatement", **inner})
    assert validate_statement(ok, now=NOW).info is not None
    with_id = statement(object={"objectType": "SubStatement", "id": str(uuid.uuid4()), **inner})
    assert "object: a SubStatement cannot have 'id'" in errors_of(with_id)
    nested = statement(
        object={"objectType": "SubStatement", **{**inner, "object": {"objectType": "SubStatement"}}}
    )
    assert "object.object is a SubStatement inside a SubStatement" in errors_of(nested)
    no_verb = statement(object={"objectType": "SubStatement", **{**inner, "verb": None}})
    assert "object.verb is missing" in errors_of(no_verb)


def test_every_error_of_a_statement_is_reported() -> None:
    stmt = statement(id="nope")
    del stmt["verb"]
    stmt["actor"] = {}
    assert len(errors_of(stmt)) == 3


def test_errors_never_quote_an_identifier() -> None:
    stmt = changed("actor", {"mbox": EMAIL, "openid": "ada at home"})
    message = " ".join(errors_of(stmt))
    assert "ada" not in message.lower()


@pytest.mark.parametrize(
    "actor",
    [
        {"mbox": "mailto:a@example.org"},
        {"objectType": "Agent", "mbox_sha1sum": "a" * 40},
        {"openid": "https://id.example.org/ada"},
        {"account": {"homePage": "https://chat.example.org", "name": "ada"}},
        {"objectType": "Group", "account": {"homePage": "https://x.org", "name": "tier-2"}},
        {"objectType": "Group", "member": [AGENT, {"openid": "https://id.example.org/b"}]},
    ],
)
def test_valid_actors(actor: dict[str, Any]) -> None:
    result = validate_statement(changed("actor", actor), now=NOW)
    assert result.errors == [] and result.info is not None


def test_timestamps_are_converted_to_utc() -> None:
    info = validate_statement(statement(when="2027-01-03T23:30:00-05:00"), now=NOW).info
    assert info is not None and info.timestamp == datetime(2027, 1, 4, 4, 30, tzinfo=UTC)
    info = validate_statement(statement(when="2027-01-03T23:30:00.123456789+01:00"), now=NOW).info
    assert info is not None and info.timestamp.tzinfo is not None


def test_a_timestamp_without_a_zone_is_utc_with_a_warning() -> None:
    result = validate_statement(statement(when="2027-01-03T23:30:00"), now=NOW)
    assert result.info is not None and result.errors == []
    assert result.info.timestamp == datetime(2027, 1, 3, 23, 30, tzinfo=UTC)
    assert result.warnings == ["timestamp 2027-01-03T23:30:00 has no time zone; taken as UTC"]


def test_without_a_timestamp_stored_is_used_then_the_time_of_import() -> None:
    result = validate_statement(statement(when=None, stored="2027-02-02T08:00:00Z"), now=NOW)
    assert result.info is not None and result.info.timestamp == datetime(2027, 2, 2, 8, tzinfo=UTC)
    assert result.warnings == []
    result = validate_statement(statement(when=None), now=NOW)
    assert result.info is not None and result.info.timestamp == NOW
    assert "counted at the time of import, 2027-03-01 12:00 UTC" in result.warnings[0]


def test_the_statement_id_is_kept_in_lower_case() -> None:
    stmt = statement(id="0F8FAD5B-D9CB-469F-A165-70867728950E")
    info = validate_statement(stmt, now=NOW).info
    assert info is not None and info.id == "0f8fad5b-d9cb-469f-a165-70867728950e"
    assert statement_key(stmt) == info.id


# --- idempotency keys -----------------------------------------------------------------------------


def test_the_content_hash_key_does_not_depend_on_key_order() -> None:
    stmt = statement(with_id=False)
    reordered = json.loads(json.dumps(dict(reversed(list(stmt.items())))))
    reordered["actor"] = dict(reversed(list(reordered["actor"].items())))
    assert list(reordered) != list(stmt)
    assert statement_key(stmt) == statement_key(reordered)
    assert statement_key(stmt).startswith("sha256:") and len(statement_key(stmt)) == 71
    other = statement(with_id=False, thread=2)
    assert statement_key(other) != statement_key(stmt)


def test_keys_are_the_same_whatever_the_file_shape(mapping: Mapping) -> None:
    stmts = [statement(with_id=False), statement(), statement(with_id=False, thread=3)]
    keys = [
        run([("f", shape(copy.deepcopy(stmts)))], mapping)[0].statement_ids
        for shape in (as_array, as_lines, as_result)
    ]
    assert keys[0] == keys[1] == keys[2] and len(keys[0]) == 3


def test_statements_seen_before_are_skipped_and_counted(mapping: Mapping) -> None:
    old, new = statement(), statement(thread=2)
    batch, files = run([("f", as_lines([old, new]))], mapping, seen={old["id"]})
    assert files["f"].already_imported == 1 and files["f"].mapped == 1
    assert batch.statement_ids == {new["id"]}
    assert sum(v for (_, m, _), v in batch.counts.items() if m == "questions") == 1


def test_duplicates_within_the_batch_count_once(mapping: Mapping) -> None:
    stmt = statement()
    batch, files = run([("a", as_array([stmt])), ("b", as_lines([stmt, stmt]))], mapping)
    assert files["a"].mapped == 1 and files["b"].duplicates == 2
    assert batch.counts == {("it_cop", "questions", "2027-W02"): 1}


# --- reading: shapes, several files, positions -------------------------------------------------


def test_three_shapes_several_files_one_batch_with_positions(mapping: Mapping) -> None:
    bad = statement(verb="asked")
    files = [
        ("page1.json", as_array([statement(), bad])),
        ("page2.json", as_result([statement(), statement(), bad])),
        ("tail.jsonl", as_lines([bad, statement()])),
    ]
    batch, _ = run(files, mapping)
    assert [(f.name, f.shape, f.read, f.mapped) for f in batch.report.files] == [
        ("page1.json", "array", 2, 1),
        ("page2.json", "statement-result", 3, 2),
        ("tail.jsonl", "json-lines", 2, 1),
    ]
    assert [pos for pos, _ in batch.report.invalid] == [
        "page1.json:2",
        "page2.json:3",
        "tail.jsonl:1",
    ]
    assert batch.counts == {("it_cop", "questions", "2027-W02"): 4}


def test_json_lines_positions_count_statements_not_blank_lines() -> None:
    data = b'\n{"a": 1}\n\n   \n{"b": 2}\r\n{broken\n'
    found = list(read_statements([("x.jsonl", io.BytesIO(data))]))
    assert [p for p, _ in found] == ["x.jsonl:1", "x.jsonl:2", "x.jsonl:3"]
    assert found[0][1] == {"a": 1}
    assert isinstance(found[2][1], ParseError) and "not valid JSON" in found[2][1].message


def test_a_pretty_printed_single_statement_is_explained() -> None:
    data = json.dumps(statement(), indent=2).encode()
    ((pos, error),) = list(read_statements([("one.json", io.BytesIO(data))]))
    assert pos == "one.json:1" and isinstance(error, ParseError)
    assert "does not end on its first line" in error.message


def test_broken_json_stops_that_file_at_the_statement_where_it_broke(mapping: Mapping) -> None:
    good = json.dumps([statement(), statement()])[:-1]
    data = (good + ', {"actor": {"mbox": "mailto:' + EMAIL + '"} "verb": 1}]').encode()
    batch, files = run(
        [("broken.json", io.BytesIO(data)), ("ok.jsonl", as_lines([statement()]))], mapping
    )
    assert files["broken.json"].mapped == 2 and files["broken.json"].invalid == 1
    assert files["ok.jsonl"].mapped == 1
    ((pos, reason),) = batch.report.invalid
    assert pos == "broken.json:3"
    assert reason.startswith("not valid JSON") and "could not be read" in reason
    assert EMAIL not in reason  # yajl quotes the text around the error; we do not


@pytest.mark.parametrize(
    ("data", "shape", "expected"),
    [
        (b"", "empty", "is empty"),
        (b"  \n\t ", "empty", "is empty"),
        ('[{"a": 1}]'.encode("utf-16"), "unknown", "UTF-16"),
        (b"actor,verb\n", "unknown", "is not JSON"),
        (b'{"statements": 5}', "statement-result", "no statements"),
    ],
)
def test_files_with_nothing_to_import(
    data: bytes, shape: str, expected: str, mapping: Mapping
) -> None:
    batch, files = run([("f", io.BytesIO(data))], mapping)
    assert files["f"].shape == shape
    messages = [m for _, m in batch.report.invalid + batch.report.warnings]
    assert any(expected in m for m in messages), messages


def test_a_bom_and_leading_white_space_are_fine(mapping: Mapping) -> None:
    data = b"\xef\xbb\xbf \n" + json.dumps([statement()]).encode()
    _, files = run([("bom.json", io.BytesIO(data))], mapping)
    assert files["bom.json"].mapped == 1
    data = b"\xef\xbb\xbf" + json.dumps(statement()).encode() + b"\n"
    _, files = run([("bom.jsonl", io.BytesIO(data))], mapping)
    assert files["bom.jsonl"].mapped == 1


class Pipe(io.RawIOBase):
    """A stream that cannot seek, like standard input."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def readinto(self, buffer: Any) -> int:
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_a_stream_that_cannot_seek_is_read(mapping: Mapping) -> None:
    stmt = statement()
    void = statement(verb=VOIDED, object={"objectType": "StatementRef", "id": stmt["id"]})
    pipe = Pipe(json.dumps([stmt, void, statement()]).encode())
    _, files = run([("stdin", pipe)], mapping)  # type: ignore[list-item]
    assert (files["stdin"].mapped, files["stdin"].voided) == (1, 1)


# --- voiding --------------------------------------------------------------------------------------


def voiding(target: dict[str, Any]) -> dict[str, Any]:
    return statement(verb=VOIDED, object={"objectType": "StatementRef", "id": target["id"].upper()})


@pytest.mark.parametrize("void_first", [True, False])
def test_a_voided_statement_is_not_counted_wherever_the_void_is(
    void_first: bool, mapping: Mapping
) -> None:
    kept, gone = statement(thread=1), statement(who="grace@example.org", thread=2)
    order = [voiding(gone), kept, gone] if void_first else [kept, gone, voiding(gone)]
    batch, files = run([("a.json", as_array(order[:2])), ("b.jsonl", as_lines(order[2:]))], mapping)
    assert batch.counts == {("it_cop", "questions", "2027-W02"): 1}
    assert batch.people[("it_cop", "active-members", "2027-W02")] == {hashed(EMAIL)}
    total = {name: sum(getattr(f, name) for f in files.values()) for name in ("voided", "voiding")}
    assert total == {"voided": 1, "voiding": 1}
    assert batch.statement_ids == {kept["id"], gone["id"], order[0 if void_first else 2]["id"]}
    assert batch.report.warnings == []


def test_voiding_outside_the_batch_or_of_a_void_is_reported(mapping: Mapping) -> None:
    stray = voiding(statement())
    first = voiding(statement())
    of_void = voiding(first)
    batch, files = run([("f", as_lines([stray, first, of_void]))], mapping)
    assert files["f"].voiding == 3 and files["f"].mapped == 0
    messages = [m for _, m in batch.report.warnings]
    assert sum("not in this batch" in m for m in messages) == 2
    assert any("a voiding statement, which xAPI ignores" in m for m in messages)


def test_a_void_of_a_void_does_not_bring_the_first_target_back(mapping: Mapping) -> None:
    target = statement()
    first = voiding(target)
    batch, files = run([("f", as_lines([voiding(first), first, target]))], mapping)
    assert files["f"].voided == 1 and batch.counts == {}


# --- opt-out --------------------------------------------------------------------------------------


def test_opted_out_actors_are_dropped_before_anything_else(mapping: Mapping) -> None:
    opted = statement(who="grace@example.org")
    opted_and_invalid = statement(who="Grace@Example.org", verb="not an iri", id="nope")
    group = statement(
        actor={"objectType": "Group", "member": [AGENT, {"mbox": "mailto:grace@example.org"}]}
    )
    other = statement()
    batch, files = run(
        [("f", as_lines([opted, opted_and_invalid, group, other]))],
        mapping,
        opt_out_hashes={hashed("grace@example.org")},
    )
    assert (files["f"].opted_out, files["f"].invalid, files["f"].mapped) == (3, 0, 1)
    assert batch.report.invalid == []
    assert batch.statement_ids == {other["id"]}
    everyone = set().union(*batch.people.values())
    assert everyone == {hashed(EMAIL)}


# --- mapping and counting -------------------------------------------------------------------------


def test_unmapped_statements_are_counted_not_refused(mapping: Mapping) -> None:
    shared = "http://adlnet.gov/expapi/verbs/shared"
    batch, files = run([("f", as_lines([statement(verb=shared), statement(verb=shared)]))], mapping)
    assert files["f"].unmapped == 2 and files["f"].invalid == 0
    assert batch.report.unmapped_verbs == {shared: 2}
    assert batch.counts == {} and batch.people == {}
    assert len(batch.statement_ids) == 2


def test_distinct_people_per_period_and_statements_counted(mapping: Mapping) -> None:
    week2 = [
        statement(thread=1, when="2027-01-11T08:00:00Z"),
        statement(thread=2, when="2027-01-13T08:00:00Z"),
        statement(thread=3, when="2027-01-17T23:59:59Z"),
        statement(who="grace@example.org", verb=ANSWERED, when="2027-01-12T09:00:00+02:00"),
        # Sunday evening in New York is Monday in UTC: week 3.
        statement(who="grace@example.org", verb=ANSWERED, when="2027-01-17T20:00:00-05:00"),
        statement(
            actor={"account": {"homePage": "https://chat.example.org", "name": "ada"}},
            verb=ANSWERED,
            when="2027-04-01T00:00:00Z",
        ),
    ]
    batch, _ = run([("f", as_lines(week2))], mapping)
    ada, grace = hashed(EMAIL), hashed("grace@example.org")
    chat_ada = hashed("https://chat.example.org|ada")
    assert batch.counts == {("it_cop", "questions", "2027-W02"): 3}
    assert batch.people == {
        ("it_cop", "active-members", "2027-W02"): {ada, grace},
        ("it_cop", "active-members", "2027-W03"): {grace},
        ("it_cop", "active-members", "2027-W13"): {chat_ada},
        ("it_cop", "active-monthly", "2027-01"): {ada, grace},
        ("it_cop", "active-monthly", "2027-04"): {chat_ada},
        ("it_cop", "active-quarterly", "2027-Q1"): {grace},
        ("it_cop", "active-quarterly", "2027-Q2"): {chat_ada},
    }


def test_one_mailbox_is_one_person_whether_sent_as_mbox_or_its_sha1(mapping: Mapping) -> None:
    sha1 = hashlib.sha1(f"mailto:{EMAIL}".encode()).hexdigest()
    stmts = [statement(), statement(actor={"mbox_sha1sum": sha1}, thread=2)]
    batch, _ = run([("f", as_lines(stmts))], mapping)
    assert batch.people[("it_cop", "active-members", "2027-W02")] == {hashed(EMAIL)}
    # ...and an opt-out given as the email drops the statement sent with the SHA-1.
    batch, files = run([("f", as_lines(stmts[1:]))], mapping, opt_out_hashes={hashed(EMAIL)})
    assert files["f"].opted_out == 1 and batch.people == {}


def test_group_members_count_as_people(mapping: Mapping) -> None:
    group = statement(
        actor={
            "objectType": "Group",
            "name": "Tier 2 pair",
            "member": [{"mbox": f"mailto:{EMAIL}"}, {"openid": "https://id.example.org/g"}],
        }
    )
    team = statement(actor={"objectType": "Group", "mbox": "mailto:tier2@example.org"})
    batch, _ = run([("f", as_lines([group, team]))], mapping)
    assert batch.people[("it_cop", "active-members", "2027-W02")] == {
        hashed(EMAIL),
        hashed("https://id.example.org/g"),
        hashed("tier2@example.org"),
    }


def test_no_raw_identifier_or_name_in_the_batch(mapping: Mapping) -> None:
    stmts = [
        statement(),
        statement(who="grace.hopper@example.org", verb=ANSWERED),
        statement(actor={"account": {"homePage": "https://chat.example.org", "name": "gh-1906"}}),
        statement(actor={"mbox": "ada@example"}),  # invalid: reported without the value
        statement(actor={"mbox": f"mailto:{EMAIL}", "openid": "https://id.example.org/ada"}),
        statement(when="2027-01-12T10:00:00"),
    ]
    batch, _ = run([("f", as_lines(stmts))], mapping)
    text = repr(batch)
    assert batch.report.invalid_count == 2 and batch.report.warning_count == 1
    for raw in (
        EMAIL,
        "ada@example",
        "grace.hopper",
        "gh-1906",
        "Ada Lovelace",
        "id.example.org/ada",
    ):
        assert raw not in text


def test_invariants_of_the_file_report(mapping: Mapping) -> None:
    stmts = [statement(), statement(verb="x"), statement(who="o@x.org"), statement(verb=ANSWERED)]
    stmts += [stmts[0], voiding(stmts[3]), statement(verb="http://x.org/v")]
    _, files = run([("f", as_lines(stmts))], mapping, opt_out_hashes={hashed("o@x.org")})
    f = files["f"]
    assert f.read == 7 == f.valid + f.invalid + f.opted_out
    assert (
        f.valid == f.duplicates + f.already_imported + f.voiding + f.voided + f.unmapped + f.mapped
    )
    assert (f.mapped, f.voided, f.voiding, f.duplicates, f.unmapped) == (1, 1, 1, 1, 1)


def test_the_report_in_words(mapping: Mapping) -> None:
    shared = "http://adlnet.gov/expapi/verbs/shared"
    stmts = [statement(), statement(verb="asked"), statement(verb=shared), statement(id="x")]
    batch, _ = run([("a.json", as_array(stmts)), ("b.jsonl", as_lines([]))], mapping)
    lines = batch.report.summary_lines(shown=1)
    assert lines == [
        "a.json (JSON array): 4 statements: 1 counted, 1 not mapped by any rule, 2 invalid",
        "b.jsonl (empty): 0 statements",
        "Invalid statements (2):",
        '  a.json:2: verb.id "asked" is not an IRI',
        "  ... and 1 more",
        "Warnings (1):",
        "  b.jsonl: is empty: it holds no statements",
        "Verbs no rule maps (add a rule to count them):",
        f"  {shared}: 1",
    ]
    assert not batch.report.ok


def test_progress_is_reported(mapping: Mapping) -> None:
    calls: list[int] = []
    stmts = [statement(thread=i) for i in range(25)]
    run([("f", as_lines(stmts))], mapping, on_progress=calls.append, progress_every=10)
    assert calls == [10, 20, 25]


def test_now_must_be_aware(mapping: Mapping) -> None:
    with pytest.raises(ValueError, match="aware"):
        aggregate([], mapping, key=KEY, now=datetime(2027, 1, 1))


# --- memory ---------------------------------------------------------------------------------------


def write_statements(path: Path, count: int, *, lines: bool) -> None:
    base = statement()
    with path.open("w") as out:
        out.write("" if lines else "[")
        for i in range(count):
            base["id"] = str(uuid.UUID(int=i))
            base["actor"]["mbox"] = f"mailto:person{i % 500}@example.org"
            base["object"]["id"] = f"{SPACE}threads/{i}"
            base["timestamp"] = f"2027-01-{1 + i % 28:02d}T10:00:00Z"
            text = json.dumps(base)
            out.write(text + "\n" if lines else ("," if i else "") + text)
        out.write("" if lines else "]")


@pytest.mark.parametrize(("lines", "count"), [(False, 20_000), (True, 10_000)])
def test_memory_does_not_grow_with_the_file(
    tmp_path: Path, lines: bool, count: int, mapping: Mapping
) -> None:
    path = tmp_path / "big.json"
    write_statements(path, count, lines=lines)
    size = path.stat().st_size
    with path.open("rb") as stream:
        tracemalloc.start()
        try:
            batch = aggregate([("big.json", stream)], mapping, key=KEY, now=NOW)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert batch.report.total("mapped") == count
    # What the import keeps is the statement keys the batch returns (about 130 bytes each);
    # beyond them it holds buffers and caches of a megabyte or two, never the statements.
    # Holding the parsed statements would take several times the file's size.
    keys = sys.getsizeof(batch.statement_ids) + sum(map(sys.getsizeof, batch.statement_ids))
    assert peak - keys < size / 4, f"peak {peak:,} bytes, keys {keys:,}, file {size:,}"
    assert peak < size * 0.75
