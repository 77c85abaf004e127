"""xAPI verbs and objects: the tables and checks of Verb, Activity, its definition and
interaction components, and StatementRef.

Part of the xAPI data rules (see `planner.exchange.xapi_spec`); imports `xapi_values` and
`xapi_mapping`'s IRI rule.
"""

from __future__ import annotations

from typing import Any

from planner.exchange.xapi_mapping import IRI_PATTERN
from planner.exchange.xapi_values import (
    _SEEN_TAG,
    COMPONENT_LISTS,
    INTERACTION_TYPES,
    UUID_PATTERN,
    Check,
    _any,
    _list_of,
    _one_of,
    _required,
    _walk,
    check_extensions,
    check_iri,
    check_irl,
    check_language_map,
    check_text,
    is_language_tag,
    known_iri,
    show,
)

_VERB: dict[str, Check] = {"id": check_iri, "display": check_language_map}


def check_verb(verb: Any, path: str, errors: list[str]) -> str | None:
    """A Verb: id an IRI (required), display a language map; the id, or None when invalid."""
    if verb is None:
        errors.append(f"{path} is missing")
        return None
    if type(verb) is not dict:
        errors.append(f"{path} must be an object with an id")
        return None
    verb_id = verb.get("id")
    if (
        len(verb) == 2 and "id" in verb and "display" in verb
    ):  # the usual shape, {id, display}, walked directly
        display = verb["display"]
        if type(display) is dict:
            seen = _SEEN_TAG
            for tag, text in display.items():
                if type(text) is not str or not (seen.get(tag) or is_language_tag(tag)):
                    check_language_map(display, f"{path}.display", errors)
                    break
        elif display is None:
            errors.append(f"{path}.display is null; leave the property out instead")
        else:
            check_language_map(display, f"{path}.display", errors)
    elif len(verb) > 1:
        _walk({k: v for k, v in verb.items() if k != "id"}, path, errors, _VERB, "a Verb")
    if known_iri(verb_id):
        return str(verb_id)
    errors.append(f"{path}.id {show(verb_id)} is not an IRI")
    return None


def _check_component(value: Any, path: str, errors: list[str]) -> None:
    if _walk(value, path, errors, _COMPONENT, "an interaction component"):
        _required(value, path, errors, "id")


def _check_component_list(value: Any, path: str, errors: list[str]) -> None:
    _list_of(_check_component)(value, path, errors)
    if type(value) is list:
        seen: set[str] = set()
        repeated: set[str] = set()
        for component in value:
            if type(component) is dict and type(component.get("id")) is str:
                component_id: str = component["id"]
                (repeated if component_id in seen else seen).add(component_id)
        if repeated:
            listed = ", ".join(show(i, 40) for i in sorted(repeated)[:5])
            errors.append(f"{path}: ids must be distinct within the list; repeated: {listed}")


_COMPONENT: dict[str, Check] = {"id": check_text, "description": check_language_map}


_DEFINITION: dict[str, Check] = {
    "name": check_language_map,
    "description": check_language_map,
    "type": check_iri,
    "moreInfo": check_irl,
    "extensions": check_extensions,
    "interactionType": _one_of(*INTERACTION_TYPES),
    "correctResponsesPattern": _list_of(check_text),
    **dict.fromkeys(COMPONENT_LISTS, _check_component_list),
}


def check_definition(value: Any, path: str, errors: list[str]) -> None:
    """An Activity definition, interaction properties included."""
    if type(value) is dict and len(value) == 1 and "type" in value:  # the usual shape
        if not known_iri(value["type"]):
            errors.append(f"{path}.type {show(value['type'])} is not an IRI")
        return
    if not _walk(value, path, errors, _DEFINITION, "an Activity definition"):
        return
    interaction = value.get("interactionType")
    for name, types in COMPONENT_LISTS.items():
        if name in value and interaction not in types:
            errors.append(
                f"{path}.{name} is only allowed with interactionType {' or '.join(types)}"
                + (f", not {show(interaction)}" if interaction is not None else "")
            )
    if "correctResponsesPattern" in value and interaction is None:
        errors.append(f"{path}.correctResponsesPattern needs an interactionType")


_ACTIVITY: dict[str, Check] = {"objectType": _any, "id": _any, "definition": check_definition}


def check_activity(obj: Any, path: str, errors: list[str]) -> tuple[str | None, str | None]:
    """An Activity: objectType "Activity" or none, id an IRI, a definition; (id, type), each
    None when absent or invalid."""
    if type(obj) is not dict:
        errors.append(f"{path} must be an object (an Activity)")
        return None, None
    activity_id = obj.get("id")
    # Activity ids are mostly distinct: matched directly, not remembered like verbs and types.
    if not (type(activity_id) is str and IRI_PATTERN.match(activity_id)):
        errors.append(f"{path}.id {show(activity_id)} is not an IRI")
        activity_id = None
    kind = obj.get("objectType", "Activity")
    if kind != "Activity":
        errors.append(f"{path}.objectType {show(kind)} must be Activity")
    definition = obj.get("definition")
    # The usual shape has no property besides objectType, id and definition.
    if definition is None or len(obj) - ("objectType" in obj) - ("id" in obj) != 1:
        _walk(obj, path, errors, _ACTIVITY, "an Activity")
    elif type(definition) is dict and len(definition) == 1 and "type" in definition:
        activity_type = definition["type"]  # the usual shape: a definition with a type only
        if known_iri(activity_type):
            return activity_id, activity_type
        errors.append(f"{path}.definition.type {show(activity_type)} is not an IRI")
        return activity_id, None
    else:
        check_definition(definition, f"{path}.definition", errors)
    activity_type = definition.get("type") if type(definition) is dict else None
    if activity_type is not None and not known_iri(activity_type):
        activity_type = None
    return activity_id, activity_type


def check_statement_ref(value: Any, path: str, errors: list[str]) -> str | None:
    """A StatementRef: objectType "StatementRef" (required) and id a UUID; the id, lower case."""
    if type(value) is not dict:
        errors.append(f"{path} must be an object (a StatementRef)")
        return None
    for key in value:
        if key not in ("objectType", "id"):
            errors.append(f"{path}.{key} is not a property of a StatementRef in xAPI 1.0.3")
    if value.get("objectType") != "StatementRef":
        errors.append(f"{path}.objectType must be StatementRef")
    ref = value.get("id")
    if type(ref) is str and UUID_PATTERN.match(ref):
        return ref.lower()
    errors.append(f"{path}.id {show(ref)} is not a UUID (a StatementRef)")
    return None


def _check_statement_ref(value: Any, path: str, errors: list[str]) -> None:
    check_statement_ref(value, path, errors)
