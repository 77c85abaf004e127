"""Checking one xAPI statement (xAPI 1.0.3), its key, and its actor's pseudonymous hashes.

Every failure has a reason a person can act on; the data rules are tables in
`planner.exchange.xapi_spec`. No message quotes an identifier or a name. Imports `xapi_spec`
and `planner.domain.limits` only.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, NamedTuple

from planner.domain.limits import (
    MAX_YEAR,
    MIN_YEAR,
)
from planner.exchange import xapi_spec as spec

VOIDED = "http://adlnet.gov/expapi/verbs/voided"


_STATEMENT_KEYS = frozenset(
    {
        "id",
        "actor",
        "verb",
        "object",
        "result",
        "context",
        "timestamp",
        "stored",
        "authority",
        "version",
        "attachments",
    }
)


_SUBSTATEMENT_FORBIDDEN = ("id", "stored", "version", "authority")


_USUAL_KEYS = frozenset({"id", "actor", "verb", "object", "timestamp", "stored"})
"""A statement with only these needs no check of the other properties."""


_UUID = spec.UUID_PATTERN


_TIMESTAMP = spec.TIMESTAMP_PATTERN


class StatementInfo(NamedTuple):
    """What the import needs from a valid statement; no identifier of a person."""

    id: str | None
    """The statement's id in lower case, or None when it has none."""
    verb: str
    activity_id: str | None
    activity_type: str | None
    timestamp: datetime
    """In UTC: the timestamp, else `stored`, else the time of import."""
    voids: str | None
    """For a voiding statement, the id (lower case) of the statement it voids."""


class Validated(NamedTuple):
    info: StatementInfo | None
    """None when there are errors."""
    errors: list[str]
    warnings: list[str]


def validate_statement(stmt: Any, *, now: datetime) -> Validated:
    """Check one statement as xAPI 1.0.3 requires; every problem becomes an error message.

    `now` (aware) stands in for a statement with neither `timestamp` nor `stored`.
    """
    found, errors, warnings = check_statement(stmt, now)
    return Validated(None if found is None else StatementInfo(*found), errors, warnings)


_Found = tuple[str | None, str, str | None, str | None, datetime, str | None]
"""StatementInfo's fields as a plain tuple: the import's loop skips building the NamedTuple."""


def check_statement(
    stmt: Any, now: datetime, actor_errors: list[str] | None = None
) -> tuple[_Found | None, list[str], list[str]]:
    """validate_statement's work; `actor_errors` are the actor's problems when the caller has
    checked that actor already (the import checks each distinct actor once)."""
    errors = spec.Problems()
    warnings: list[str] = []
    if type(stmt) is not dict:
        return None, ["is not a statement (a JSON object)"], warnings
    if not stmt.keys() <= _STATEMENT_KEYS:
        unknown = ", ".join(sorted(str(k) for k in stmt.keys() - _STATEMENT_KEYS))
        # xAPI 1.0.3 (Data 2.2): a key the specification does not allow is refused.
        errors.append(f"has properties xAPI 1.0.3 does not define: {unknown}")
    if None in stmt.values():
        for name in ("id", "timestamp", "stored"):
            if name in stmt and stmt[name] is None:
                errors.append(f"{name} is null; leave the property out instead")
    statement_id = stmt.get("id")
    if statement_id is not None:
        if type(statement_id) is str and _UUID.match(statement_id):
            statement_id = statement_id.lower()
        else:
            errors.append(f"id {_show(statement_id)} is not a UUID")
            statement_id = None
    if actor_errors is None:
        verb, activity_id, activity_type, voids = _check_core(stmt, _TOP, errors)
    else:
        errors.extend(actor_errors)
        verb, activity_id, activity_type, voids = _check_core(stmt, _TOP_NO_ACTOR, errors)
    if len(stmt) > 6 or not stmt.keys() <= _USUAL_KEYS:
        spec.check_other_properties(stmt, "", errors)
    timestamp = _when(stmt, now, errors, warnings)
    if errors or timestamp is None or verb is None:
        return None, errors.listed(), warnings
    return (statement_id, verb, activity_id, activity_type, timestamp, voids), errors, warnings


class _Where(NamedTuple):
    """Labels for messages about a statement (prefix '') or its SubStatement ('object.')."""

    prefix: str
    actor: str
    verb: str
    object: str
    check_actor: bool = True


_TOP = _Where("", "actor", "verb", "object")


_TOP_NO_ACTOR = _Where("", "actor", "verb", "object", check_actor=False)


_SUB = _Where("object.", "object.actor", "object.verb", "object.object")


def _check_core(
    stmt: dict[str, Any], where: _Where, errors: list[str]
) -> tuple[str | None, str | None, str | None, str | None]:
    """actor, verb and object of a statement or SubStatement: (verb, activity, type, voids)."""
    if where.check_actor:
        check_statement_actor(stmt, where.actor, errors)
    verb_id = spec.check_verb(stmt.get("verb"), where.verb, errors)
    obj = stmt.get("object")
    activity_id = activity_type = voids = None
    if obj is None:
        errors.append(f"{where.object} is missing")
    elif type(obj) is not dict:
        errors.append(f"{where.object} must be an object")
    else:
        kind = obj.get("objectType", "Activity")
        if kind == "Activity":
            activity_id, activity_type = spec.check_activity(obj, where.object, errors)
        elif kind in ("Agent", "Group"):
            spec.check_actor(obj, where.object, errors)
        elif kind == "StatementRef":
            voids = spec.check_statement_ref(obj, where.object, errors)
        elif kind == "SubStatement":
            if where is _SUB:
                errors.append(f"{where.object} is a SubStatement inside a SubStatement")
            else:
                for name in _SUBSTATEMENT_FORBIDDEN:
                    if name in obj:
                        errors.append(f"object: a SubStatement cannot have '{name}'")
                unknown = obj.keys() - _STATEMENT_KEYS - {"objectType"}
                if unknown:
                    listed = ", ".join(sorted(str(k) for k in unknown))
                    errors.append(f"object: has properties xAPI 1.0.3 does not define: {listed}")
                _check_core(obj, _SUB, errors)
                spec.check_other_properties(obj, "object.", errors, substatement=True)
        else:
            errors.append(
                f"{where.object}.objectType {_show(kind)} is not one of Activity, Agent, Group, "
                "SubStatement, StatementRef"
            )
    if verb_id == VOIDED:
        if voids is None:
            errors.append(
                f"{where.object}: a voiding statement (verb voided) must have a StatementRef "
                "object naming the statement it voids"
            )
    else:
        voids = None
    return verb_id, activity_id, activity_type, voids


def check_statement_actor(stmt: dict[str, Any], where: str, errors: list[str]) -> None:
    actor = stmt.get("actor")
    if actor is None:
        errors.append(f"{where} is missing")
    else:
        spec.check_actor(actor, where, errors)


def _when(
    stmt: dict[str, Any], now: datetime, errors: list[str], warnings: list[str]
) -> datetime | None:
    """The statement's moment in UTC: timestamp, else stored, else the time of import."""
    timestamp = stmt.get("timestamp")
    stored = stmt.get("stored")
    moment = None
    if timestamp is not None:
        moment = _usual_time(timestamp) or _parse_time(timestamp, "timestamp", errors, warnings)
        moment = _in_range(moment, "timestamp", errors)
    if stored is not None:
        # Checked even when the timestamp wins; only the value used warns about its zone.
        stored_at = _usual_time(stored) or _parse_time(
            stored, "stored", errors, warnings if timestamp is None else []
        )
        stored_at = _in_range(stored_at, "stored", errors)
        if timestamp is None:
            return stored_at
    if timestamp is not None:
        return moment
    warnings.append(
        f"has neither timestamp nor stored; counted at the time of import, {now:%Y-%m-%d %H:%M} UTC"
    )
    return now.astimezone(UTC)


def _in_range(moment: datetime | None, name: str, errors: list[str]) -> datetime | None:
    if moment is None or MIN_YEAR <= moment.year <= MAX_YEAR:
        return moment
    errors.append(
        f"{name} {moment.isoformat()} is outside the years {MIN_YEAR}-{MAX_YEAR} the planner "
        "takes; check the year"
    )
    return None


def _usual_time(value: Any) -> datetime | None:
    """The shape nearly every LRS writes, 2027-01-18T09:30:00Z or with .000Z, parsed fast;
    None for anything else (which `_parse_time` then checks in full)."""
    if (
        type(value) is str
        and value[-1:] == "Z"
        and len(value) in (20, 24)
        and value[10] == "T"
        and value[4] == "-"
        and value[7] == "-"
        and value[13] == ":"
        and value[16] == ":"
        and (len(value) == 20 or value[19] == ".")
    ):
        try:
            return datetime.fromisoformat(value)  # checks the digits and the calendar
        except ValueError:
            return None
    return None


def _parse_time(value: Any, name: str, errors: list[str], warnings: list[str]) -> datetime | None:
    match = _TIMESTAMP.match(value) if type(value) is str else None
    if match is None:
        errors.append(
            f"{name} {_show(value)} is not an ISO 8601 date and time (e.g. 2027-01-18T09:30:00Z)"
        )
        return None
    try:
        moment = datetime.fromisoformat(value.upper())
    except ValueError as exc:
        errors.append(f"{name} {_show(value)} is not a real date and time: {exc}")
        return None
    if match.group(1) is None:
        warnings.append(f"{name} {value} has no time zone; taken as UTC")
        return moment.replace(tzinfo=UTC)
    if moment.utcoffset():
        return moment.astimezone(UTC)
    return moment


_show = spec.show


def statement_key(stmt: dict[str, Any]) -> str:
    """The key that makes imports idempotent: the statement's id in lower case, or, when it has
    none, `sha256:` and the SHA-256 of its canonical JSON (sorted keys, no white space)."""
    statement_id = stmt.get("id")
    if isinstance(statement_id, str) and _UUID.match(statement_id):
        return statement_id.lower()
    return content_key(stmt)


def content_key(stmt: dict[str, Any]) -> str:
    canonical = json.dumps(stmt, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def _identifiers(agent: Any) -> list[str]:
    """The identifiers an agent gives, in the form people type into an opt-out list.

    Lenient on purpose: this runs before validation, so an actor with two identifiers is still
    matched against the opt-out list on both.
    """
    found: list[str] = []
    if not isinstance(agent, dict):
        return found
    for name in ("mbox", "mbox_sha1sum", "openid"):
        value = agent.get(name)
        if isinstance(value, str):
            found.append(value)
    account = agent.get("account")
    if isinstance(account, dict):
        home, account_name = account.get("homePage"), account.get("name")
        if isinstance(home, str) and isinstance(account_name, str):
            found.append(f"{home}|{account_name}")
    return found


def actor_hashes(agent: Any, hash_of: Callable[[str], str]) -> tuple[list[str], list[str]]:
    """(hashes of every identifier the actor gives, hashes of the people it stands for): an
    Agent stands for itself; a Group for its listed members, else for itself."""
    if type(agent) is not dict:
        return [], []
    if agent.get("objectType") != "Group":
        own = [hash_of(i) for i in _identifiers(agent)]
        return own, own
    own = [hash_of(i) for i in _identifiers(agent)]
    members: list[str] = []
    listed = agent.get("member")
    if type(listed) is list:
        for member in listed:
            members.extend(hash_of(i) for i in _identifiers(member))
    return own + members, members or own
