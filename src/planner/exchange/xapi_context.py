"""xAPI result and context: the tables and checks of Result, Score, Context,
contextActivities, Attachment, version and the statement's other properties.

Part of the xAPI data rules (see `planner.exchange.xapi_spec`); imports `xapi_values`,
`xapi_actors` and `xapi_activities`.
"""

from __future__ import annotations

from typing import Any

from planner.exchange.xapi_activities import (
    _check_statement_ref,
    check_activity,
)
from planner.exchange.xapi_actors import (
    check_actor,
    check_authority,
    check_team,
)
from planner.exchange.xapi_values import (
    _VERSION,
    Check,
    _any,
    _is_number,
    _list_of,
    _required,
    _walk,
    check_boolean,
    check_duration,
    check_extensions,
    check_iri,
    check_irl,
    check_language_map,
    check_language_tag,
    check_number,
    check_text,
    check_timestamp,
    check_uuid,
    show,
)


def _check_scaled(value: Any, path: str, errors: list[str]) -> None:
    if not _is_number(value):
        errors.append(f"{path} must be a number (not {show(value, 20)})")
    elif not -1 <= value <= 1:
        errors.append(f"{path} {value} must be between -1 and 1")


_SCORE: dict[str, Check] = {
    "scaled": _check_scaled,
    "raw": check_number,
    "min": check_number,
    "max": check_number,
}


def check_score(value: Any, path: str, errors: list[str]) -> None:
    """scaled in -1..1; raw, min and max numbers with min < max and min <= raw <= max."""
    if not _walk(value, path, errors, _SCORE, "a score"):
        return
    low, high, raw = value.get("min"), value.get("max"), value.get("raw")
    low = low if _is_number(low) else None
    high = high if _is_number(high) else None
    raw = raw if _is_number(raw) else None
    if low is not None and high is not None and not low < high:
        errors.append(f"{path}.min {low} must be less than {path}.max {high}")
    if raw is not None and low is not None and raw < low:
        errors.append(f"{path}.raw {raw} is below {path}.min {low}")
    if raw is not None and high is not None and raw > high:
        errors.append(f"{path}.raw {raw} is above {path}.max {high}")


_RESULT: dict[str, Check] = {
    "score": check_score,
    "success": check_boolean,
    "completion": check_boolean,
    "response": check_text,
    "duration": check_duration,
    "extensions": check_extensions,
}


def check_result(value: Any, path: str, errors: list[str]) -> None:
    _walk(value, path, errors, _RESULT, "a result")


def _activity_or_list(value: Any, path: str, errors: list[str]) -> None:
    """A contextActivities value: one Activity or a list of them."""
    if type(value) is list:
        for i, item in enumerate(value):
            check_activity(item, f"{path}[{i}]", errors)
    else:
        check_activity(value, path, errors)


_CONTEXT_ACTIVITIES: dict[str, Check] = dict.fromkeys(
    ("parent", "grouping", "category", "other"), _activity_or_list
)


def _check_context_activities(value: Any, path: str, errors: list[str]) -> None:
    _walk(value, path, errors, _CONTEXT_ACTIVITIES, "contextActivities")


_CONTEXT: dict[str, Check] = {
    "registration": check_uuid,
    "instructor": check_actor,
    "team": check_team,
    "contextActivities": _check_context_activities,
    "revision": check_text,
    "platform": check_text,
    "language": check_language_tag,
    "statement": _check_statement_ref,
    "extensions": check_extensions,
}


def check_context(value: Any, path: str, errors: list[str], *, object_kind: Any) -> None:
    """A context; revision and platform only when the statement's object is an Activity."""
    if not _walk(value, path, errors, _CONTEXT, "a context"):
        return
    if object_kind != "Activity":
        for name in ("revision", "platform"):
            if name in value:
                errors.append(
                    f"{path}.{name} is only allowed when the object is an Activity "
                    f"(here {show(object_kind)})"
                )


_ATTACHMENT: dict[str, Check] = {
    "usageType": check_iri,
    "display": check_language_map,
    "description": check_language_map,
    "contentType": check_text,
    "length": _any,
    "sha2": check_text,
    "fileUrl": check_irl,
}


def _check_attachment(value: Any, path: str, errors: list[str]) -> None:
    if not _walk(value, path, errors, _ATTACHMENT, "an attachment"):
        return
    _required(value, path, errors, "usageType", "display", "contentType", "length", "sha2")
    length = value.get("length")
    if length is not None and not (type(length) is int and length >= 0):
        errors.append(f"{path}.length must be a whole number of octets (not {show(length, 20)})")


def check_version(value: Any, path: str, errors: list[str]) -> None:
    if not (type(value) is str and _VERSION.match(value)):
        errors.append(f"{path} {show(value)} must be 1.0.x (e.g. 1.0.0), xAPI 1.0.3's data model")


OTHER_PROPERTIES: dict[str, Check] = {
    "result": check_result,
    "authority": check_authority,
    "version": check_version,
    "attachments": _list_of(_check_attachment),
}
"""The statement properties the import does not use, each with its check (context apart: its
rules depend on the object)."""


def check_other_properties(
    stmt: dict[str, Any], prefix: str, errors: list[str], *, substatement: bool = False
) -> None:
    """result, context, authority, version, attachments (and a SubStatement's timestamp) of a
    statement or, with `prefix` 'object.', of its SubStatement."""
    for name, check in OTHER_PROPERTIES.items():
        if name in stmt:
            value = stmt[name]
            if value is None:
                errors.append(f"{prefix}{name} is null; leave the property out instead")
            else:
                check(value, prefix + name, errors)
    if "context" in stmt:
        context = stmt["context"]
        if context is None:
            errors.append(f"{prefix}context is null; leave the property out instead")
        else:
            obj = stmt.get("object")
            kind = obj.get("objectType", "Activity") if type(obj) is dict else None
            check_context(context, prefix + "context", errors, object_kind=kind)
    if substatement and "timestamp" in stmt:
        check_timestamp(stmt["timestamp"], prefix + "timestamp", errors)
