"""xAPI value checks and the table walker: IRIs, text, numbers, UUIDs, timestamps, durations,
language tags and maps, extensions; `Problems` (the capped list of messages) and `_walk`.

The lowest layer of the xAPI data rules (see `planner.exchange.xapi_spec`); imports only
`xapi_mapping`'s IRI test.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from planner.exchange.xapi_mapping import is_iri

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


def _any(value: Any, path: str, errors: list[str]) -> None:
    """Checked elsewhere (identifiers, objectType) or free."""
