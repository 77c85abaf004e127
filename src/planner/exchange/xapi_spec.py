"""The xAPI 1.0.3 data rules (Data, section 2.2 onward), as tables of property checks.

Every object the specification defines (Agent, Group, account, Verb, Activity, its definition
and interaction components, Result, Score, Context, contextActivities, StatementRef,
Attachment) is a table: property name -> the check of its value. `_walk` applies a table to an
object: a property the table lacks is refused (xAPI: "a key or value not allowed by this
specification"), a null value is refused (except inside extensions), and each value is checked
where it is, so a rule applies wherever its kind of value may appear, SubStatements included.

Each check appends messages to `errors` naming the JSON path, e.g.
`context.instructor.mbox must be a mailto: IRI`. No message quotes an identifier of a person
(mbox, mbox_sha1sum, openid, account): those are described, never shown.

Hand-written rather than a schema library: measured against ralph-malph's pydantic models on
bench/bench_xapi.py (see the README's xAPI section), these checks keep the import within its
bound of 4x json.loads, and they report every problem of a statement with its path.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from planner.exchange.xapi_mapping import IRI_PATTERN, is_iri

Check = Callable[[Any, str, list[str]], None]
"""A value check: (value, its JSON path, the statement's error list)."""

IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
_IFI_LIST = "mbox, mbox_sha1sum, openid or account"
UUID_PATTERN = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z"
)
_SHA1 = re.compile(r"[0-9a-fA-F]{40}\Z")
_MBOX = re.compile(r"mailto:[^@\x00-\x20\x7f]+@[^@\x00-\x20\x7f]+\Z")
TIMESTAMP_PATTERN = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?\Z"
)
_VERSION = re.compile(r"1\.0\.\d+\Z")
_N = r"\d+(?:[.,]\d+)?"
_DURATION = re.compile(
    rf"P(?:\d+W|(?=\d|T\d)(?:{_N}Y)?(?:{_N}M)?(?:{_N}D)?(?:T(?=\d)(?:{_N}H)?(?:{_N}M)?(?:{_N}S)?)?)\Z"
)
# RFC 5646 language tags: the sequence of subtags and their lengths, as xAPI requires.
_LANGUAGE_TAG = re.compile(
    r"""(?:
      (?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})  # language, extended language
      (?:-[a-z]{4})?                                      # script
      (?:-(?:[a-z]{2}|\d{3}))?                            # region
      (?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*                 # variants
      (?:-[\da-wyz](?:-[a-z\d]{2,8})+)*                   # extensions
      (?:-x(?:-[a-z\d]{1,8})+)?                           # private use
    | x(?:-[a-z\d]{1,8})+                                 # private use alone
    | en-gb-oed|i-(?:ami|bnn|default|enochian|hak|klingon|lux|mingo|navajo|pwn|tao|tay|tsu)
    | sgn-(?:be-fr|be-nl|ch-de)|art-lojban|cel-gaulish|no-(?:bok|nyn)
    | zh-(?:guoyu|hakka|min|min-nan|xiang)
    )\Z""",
    re.IGNORECASE | re.VERBOSE | re.ASCII,
)
_TAG_LIMIT = 100  # characters; real tags are far shorter, and the match stays bounded
INTERACTION_TYPES = (
    "true-false",
    "choice",
    "fill-in",
    "long-fill-in",
    "matching",
    "performance",
    "sequencing",
    "likert",
    "numeric",
    "other",
)
COMPONENT_LISTS = {
    "choices": ("choice", "sequencing"),
    "scale": ("likert",),
    "source": ("matching",),
    "target": ("matching",),
    "steps": ("performance",),
}
"""Each interaction component list and the interactionTypes that may carry it."""

# Values that repeat across a batch (verb ids, activity types, language tags): remember which
# pass, bounded.
_SEEN_IRI: dict[str, bool] = {}
_SEEN_TAG: dict[str, bool] = {}
_SEEN_LIMIT = 4096


MAX_PROBLEMS = 20
"""Problems kept per statement; beyond them only counted (a statement with a million bad keys
must not make a million messages)."""


class Problems(list[str]):
    """A statement's error list: keeps the first MAX_PROBLEMS messages, counts the rest."""

    dropped = 0  # a class default: no __init__ to run for each statement

    def append(self, message: str) -> None:
        if len(self) < MAX_PROBLEMS:
            super().append(message)
        else:
            self.dropped += 1

    def extend(self, messages: Any) -> None:
        for message in messages:
            self.append(message)
        if isinstance(messages, Problems):
            self.dropped += messages.dropped

    def listed(self) -> list[str]:
        """The messages kept, and a last one saying how many more there were."""
        more = [f"and {self.dropped:,} more problems"] if self.dropped else []
        return [*self, *more]


def show(value: Any, limit: int = 80) -> str:
    """A value as JSON for a message, cut to `limit` characters; '(missing)' for None."""
    text = json.dumps(value, ensure_ascii=False) if value is not None else "(missing)"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def known_iri(value: Any) -> bool:
    """is_iri, remembered for values that repeat (a bounded cache)."""
    if type(value) is str:
        known = _SEEN_IRI.get(value)
        if known is None:
            if len(_SEEN_IRI) > _SEEN_LIMIT:
                _SEEN_IRI.clear()
            known = _SEEN_IRI[value] = is_iri(value)
        return known
    return False


def is_language_tag(value: Any) -> bool:
    """An RFC 5646 language tag (well formed: its subtags in order, each of a valid length)."""
    if type(value) is not str:
        return False
    known = _SEEN_TAG.get(value)
    if known is None:
        known = len(value) <= _TAG_LIMIT and _LANGUAGE_TAG.match(value) is not None
        if len(_SEEN_TAG) > _SEEN_LIMIT:
            _SEEN_TAG.clear()
        _SEEN_TAG[value] = known
    return known


def _walk(value: Any, path: str, errors: list[str], table: dict[str, Check], kind: str) -> bool:
    """Apply a table to an object; False when the value is not an object at all."""
    if type(value) is not dict:
        errors.append(f"{path} must be an object ({kind})")
        return False
    for key, item in value.items():
        check = table.get(key)
        if check is None:
            errors.append(f"{path}.{key} is not a property of {kind} in xAPI 1.0.3")
        elif item is None:
            errors.append(f"{path}.{key} is null; leave the property out instead")
        else:
            check(item, f"{path}.{key}", errors)
    return True


def _required(value: dict[str, Any], path: str, errors: list[str], *names: str) -> None:
    for name in names:
        if name not in value:
            errors.append(f"{path}.{name} is missing")


# --- values --------------------------------------------------------------------------------------


def check_iri(value: Any, path: str, errors: list[str]) -> None:
    if not known_iri(value):
        errors.append(f"{path} {show(value)} is not an IRI")


def check_irl(value: Any, path: str, errors: list[str]) -> None:
    if not known_iri(value):
        errors.append(f"{path} {show(value)} is not an IRL (a URL)")


def check_text(value: Any, path: str, errors: list[str]) -> None:
    if type(value) is not str:
        errors.append(f"{path} must be text")


def check_boolean(value: Any, path: str, errors: list[str]) -> None:
    if type(value) is not bool:
        errors.append(f"{path} must be true or false (not {show(value, 20)})")


def _is_number(value: Any) -> bool:
    return (type(value) is int or type(value) is float) and value == value  # not NaN


def check_number(value: Any, path: str, errors: list[str]) -> None:
    if not _is_number(value):
        errors.append(f"{path} must be a number (not {show(value, 20)})")


def check_uuid(value: Any, path: str, errors: list[str]) -> None:
    if not (type(value) is str and UUID_PATTERN.match(value)):
        errors.append(f"{path} {show(value)} is not a UUID")


def check_timestamp(value: Any, path: str, errors: list[str]) -> None:
    """An ISO 8601 date and time (for a SubStatement's timestamp: not used for counting)."""
    if not (type(value) is str and TIMESTAMP_PATTERN.match(value)):
        errors.append(
            f"{path} {show(value)} is not an ISO 8601 date and time (e.g. 2027-01-18T09:30:00Z)"
        )
        return
    try:
        datetime.fromisoformat(value.upper())
    except ValueError as exc:
        errors.append(f"{path} {show(value)} is not a real date and time: {exc}")


def check_duration(value: Any, path: str, errors: list[str]) -> None:
    if not (type(value) is str and _DURATION.match(value)):
        errors.append(f"{path} {show(value)} is not an ISO 8601 duration (e.g. PT1H30M, PT4.5S)")


def check_language_tag(value: Any, path: str, errors: list[str]) -> None:
    if not is_language_tag(value):
        errors.append(f"{path} {show(value)} is not an RFC 5646 language tag (e.g. en-US)")


def check_language_map(value: Any, path: str, errors: list[str]) -> None:
    """Keys RFC 5646 language tags, values text: {"en-US": "asked"}."""
    if type(value) is not dict:
        errors.append(f'{path} must be a language map (an object such as {{"en-US": "..."}})')
        return
    for tag, text in value.items():
        if not is_language_tag(tag):
            errors.append(f"{path}: {show(tag)} is not an RFC 5646 language tag (e.g. en-US)")
        if type(text) is not str:
            errors.append(f"{path}.{tag} must be text")


def check_extensions(value: Any, path: str, errors: list[str]) -> None:
    """Keys IRIs; values anything (null included)."""
    if type(value) is not dict:
        errors.append(f"{path} must be an object whose keys are IRIs")
        return
    for key in value:
        if not known_iri(key):
            errors.append(f"{path}: key {show(key)} is not an IRI")


def _list_of(check: Check) -> Check:
    def check_list(value: Any, path: str, errors: list[str]) -> None:
        if type(value) is not list:
            errors.append(f"{path} must be a list")
            return
        for i, item in enumerate(value):
            if item is None:
                errors.append(f"{path}[{i}] is null")
            else:
                check(item, f"{path}[{i}]", errors)

    return check_list


def _one_of(*allowed: str) -> Check:
    listed = ", ".join(allowed)

    def check_choice(value: Any, path: str, errors: list[str]) -> None:
        if value not in allowed or type(value) is not str:
            errors.append(f"{path} {show(value)} must be one of {listed}")

    return check_choice


# --- agents and groups ---------------------------------------------------------------------------


def _any(value: Any, path: str, errors: list[str]) -> None:
    """Checked elsewhere (identifiers, objectType) or free."""


_AGENT: dict[str, Check] = {"objectType": _any, "name": check_text, **dict.fromkeys(IFIS, _any)}
_GROUP: dict[str, Check] = {**_AGENT, "member": _any}


def check_agent(agent: Any, path: str, errors: list[str]) -> None:
    """An Agent: objectType "Agent" or none, exactly one identifier, a name that is text."""
    if type(agent) is not dict:
        errors.append(f"{path} must be an object (an Agent)")
        return
    kind = agent.get("objectType", "Agent")
    if kind != "Agent":
        errors.append(f"{path}.objectType {show(kind)} must be Agent")
        return
    _walk(agent, path, errors, _AGENT, "an Agent")
    check_identifier(agent, path, errors, required=True)


def check_group(group: Any, path: str, errors: list[str], *, members: int | None = None) -> None:
    """A Group: identified (one identifier, members optional) or anonymous (members required);
    members are Agents. `members`: the exact number required (an OAuth authority's two)."""
    if type(group) is not dict:
        errors.append(f"{path} must be an object (a Group)")
        return
    _walk(group, path, errors, _GROUP, "a Group")
    identified = check_identifier(group, path, errors, required=False)
    listed = group.get("member")
    if listed is not None and type(listed) is not list:
        errors.append(f"{path}.member must be a list of Agents")
        listed = None
    for i, member in enumerate(listed or ()):
        here = f"{path}.member[{i}]"
        if type(member) is dict and member.get("objectType") == "Group":
            errors.append(f"{here} is a Group; groups cannot nest")
        else:
            check_agent(member, here, errors)
    if not identified and not listed:
        errors.append(
            f"{path} is an anonymous Group (it has no {_IFI_LIST}) and must list its "
            "members in 'member'"
        )
    if members is not None and len(listed or ()) != members:
        errors.append(f"{path} must be an Agent, or a Group of exactly {members} Agents (OAuth)")


def check_actor(value: Any, path: str, errors: list[str]) -> None:
    """An Agent or a Group, told apart by objectType (a statement's actor, not the person
    acting: so the parameter is not called `actor`, which names the person in services)."""
    if type(value) is not dict:
        errors.append(f"{path} must be an object (an Agent or a Group)")
        return
    kind = value.get("objectType", "Agent")
    if kind == "Group":
        check_group(value, path, errors)
    elif kind == "Agent":
        check_agent(value, path, errors)
    else:
        errors.append(f"{path}.objectType {show(kind)} must be Agent or Group")


def check_team(value: Any, path: str, errors: list[str]) -> None:
    if type(value) is dict and value.get("objectType") != "Group":
        errors.append(f"{path} must be a Group (objectType Group)")
        return
    check_group(value, path, errors)


def check_authority(value: Any, path: str, errors: list[str]) -> None:
    """An Agent, or in three-legged OAuth a Group of exactly two Agents."""
    if type(value) is dict and value.get("objectType") == "Group":
        check_group(value, path, errors, members=2)
    else:
        check_agent(value, path, errors)


def _check_account(value: Any, path: str, errors: list[str]) -> None:
    if type(value) is not dict:
        errors.append(f"{path} must be an object with homePage and name")
        return
    for key in value:
        if key not in ("homePage", "name"):
            errors.append(f"{path}.{key} is not a property of an account in xAPI 1.0.3")
    home = value.get("homePage")
    if home is None:
        errors.append(f"{path}.homePage is missing")
    elif not known_iri(home):
        errors.append(f"{path}.homePage must be an IRI (a URL)")
    name = value.get("name")
    if name is None:
        errors.append(f"{path}.name is missing")
    elif type(name) is not str or not name:
        errors.append(f"{path}.name must be non-empty text")


def check_identifier(agent: dict[str, Any], path: str, errors: list[str], *, required: bool) -> int:
    """Check the inverse functional identifiers, never quoting them (they identify a person);
    the number present."""
    mbox = agent.get("mbox")
    if mbox is not None and not (
        "mbox_sha1sum" in agent or "openid" in agent or "account" in agent
    ):
        # The common case, one mailto: identifier, without building the list below.
        if not (type(mbox) is str and _MBOX.match(mbox)):
            errors.append(f"{path}.mbox must be a mailto: IRI, e.g. mailto:name@example.org")
        return 1
    present = [k for k in IFIS if k in agent]
    if len(present) > 1:
        errors.append(
            f"{path} has {len(present)} identifiers ({', '.join(present)}); an Agent has "
            f"exactly one of {_IFI_LIST}"
        )
    elif not present:
        if required:
            errors.append(f"{path} has no identifier; an Agent needs exactly one of {_IFI_LIST}")
        return 0
    for name in present:
        value = agent[name]
        if name == "mbox":
            if not (type(value) is str and _MBOX.match(value)):
                errors.append(f"{path}.mbox must be a mailto: IRI, e.g. mailto:name@example.org")
        elif name == "mbox_sha1sum":
            if not (type(value) is str and _SHA1.match(value)):
                errors.append(
                    f"{path}.mbox_sha1sum must be 40 hexadecimal characters (the SHA-1 of a "
                    "mailto: IRI)"
                )
        elif name == "openid":
            if not is_iri(value):
                errors.append(f"{path}.openid must be an IRI (a URL)")
        else:
            _check_account(value, f"{path}.account", errors)
    return len(present)


# --- verbs and activities ------------------------------------------------------------------------

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


# --- result and context --------------------------------------------------------------------------


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


# --- attachments and the statement's other properties --------------------------------------------

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


__all__ = [
    "COMPONENT_LISTS",
    "IFIS",
    "INTERACTION_TYPES",
    "MAX_PROBLEMS",
    "OTHER_PROPERTIES",
    "TIMESTAMP_PATTERN",
    "UUID_PATTERN",
    "Check",
    "Problems",
    "check_activity",
    "check_actor",
    "check_agent",
    "check_authority",
    "check_context",
    "check_definition",
    "check_duration",
    "check_extensions",
    "check_group",
    "check_identifier",
    "check_language_map",
    "check_language_tag",
    "check_other_properties",
    "check_result",
    "check_score",
    "check_statement_ref",
    "check_timestamp",
    "check_verb",
    "check_version",
    "is_language_tag",
    "known_iri",
    "show",
]
