"""Privacy rules: small groups shown as "< 5", and pseudonyms for the people behind a count.

A metric counts distinct people when its unit is `people` or its id is one of the reserved
community-health ids that count people (`DISTINCT_PEOPLE_METRICS`); such a value below
`MIN_GROUP_SIZE` is shown as "< 5" by every page and format (`suppress`). A person's
identifier (an e-mail, an xAPI agent, a user principal name) is kept only as an HMAC-SHA256
under the installation's key (`person_hash`), after one normalisation so every spelling of one
mailbox agrees. Erasing a person rewrites their names and emails as whole words (`Scrubber`).
Where the key comes from, the opt-out list and erasure are use cases
(`planner.services.privacy`).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from planner.domain.health import DISTINCT_PEOPLE_METRICS as DISTINCT_PEOPLE_METRICS
from planner.domain.playbook import Metric
from planner.errors import PlannerError

MIN_GROUP_SIZE = 5
"""Counts of distinct people below this are shown as "< 5"."""


PEOPLE_UNIT = "people"


ERASED = "erased person"
"""What replaces an erased person's name and email wherever they were written."""


class Scrubber:
    """Replaces a person's names and emails, as whole words and ignoring case, with ERASED."""

    def __init__(self, words: Iterable[str]) -> None:
        kept = sorted({w.strip() for w in words if w and w.strip()}, key=len, reverse=True)
        self.exact = {w.casefold() for w in kept}
        self.words = sorted({*kept, *self.exact})
        """The names and emails as written and casefolded, for finding rows that may hold them."""
        alternatives = "|".join(re.escape(w) for w in kept)
        self.pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)

    def who(self, value: str) -> str:
        """A who-column: ERASED when it is one of the names or emails, else `text(value)`."""
        return ERASED if value.strip().casefold() in self.exact else self.text(value)

    def text(self, value: str) -> str:
        """Free text with every whole-word mention replaced."""
        return self.pattern.sub(ERASED, value)

    def deep(self, value: object) -> object:
        """`text` through the strings of a JSON value (dicts and lists)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {k: self.deep(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.deep(v) for v in value]
        return value


def counts_distinct_people(metric: Metric) -> bool:
    """True when the metric's values are counts of distinct people (see the module docstring)."""
    return metric.unit.strip().casefold() == PEOPLE_UNIT or metric.id in DISTINCT_PEOPLE_METRICS


def suppress(
    value: float | None, *, distinct_people: bool, k: int = MIN_GROUP_SIZE
) -> str | float | None:
    """`value`, or "< k" when it counts fewer than `k` distinct people (None stays None)."""
    if value is None or not distinct_people or value >= k:
        return value
    return f"< {k}"


class PseudonymKey(bytes):
    """The installation's hashing key: bytes whose repr and str hide the secret, so neither a
    log line nor a traceback shows it."""

    def __repr__(self) -> str:
        return "PseudonymKey(<hidden>)"

    __str__ = __repr__


class PseudonymKeyError(PlannerError):
    """No usable pseudonym key: the message says where to set one."""


_SHA1_HEX = re.compile(r"[0-9a-fA-F]{40}")


def normalise_identifier(identifier: str) -> str:
    """One spelling per person, from the forms an xAPI agent's identifier comes in (lenient:
    importers hash identifiers before validating them, so this never raises):

    - `mailto:Ada@Example.org`, or a bare `ada@example.org`: lowercased and turned into the
      SHA-1 that `mbox_sha1sum` carries, so both forms of one mailbox agree: `sha1:<hex>`
    - an `mbox_sha1sum` (40 hex digits, optionally prefixed `mbox_sha1sum:`): `sha1:<hex>`
    - an account as `<homePage>|<name>` (optionally prefixed `account:`): `account:` followed by
      the homePage without a trailing slash, `|` and the name
    - anything else, e.g. an openid URI (optionally prefixed `openid:`): `openid:<uri>`
    """
    text = identifier.strip()
    scheme, colon, rest = text.partition(":")
    scheme = scheme.casefold()
    if scheme == "mailto" or ("@" in text and not colon and "|" not in text):
        address = (rest if scheme == "mailto" else text).strip().lower()
        return "sha1:" + hashlib.sha1(f"mailto:{address}".encode()).hexdigest()
    if scheme == "mbox_sha1sum":
        text = rest.strip()
    if _SHA1_HEX.fullmatch(text):
        return "sha1:" + text.lower()
    if scheme == "account":
        text = rest.strip()
    if "|" in text:
        home, _, name = text.partition("|")
        return f"account:{home.strip().rstrip('/')}|{name.strip()}"
    if scheme == "openid":
        text = rest.strip()
    return f"openid:{text}"


def person_hash(identifier: str, key: bytes) -> str:
    """HMAC-SHA256 (hex, 64 characters) of the normalised identifier under `key`."""
    message = normalise_identifier(identifier).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def person_hasher(key: bytes) -> Callable[[str], str]:
    """`person_hash` under one key, made faster for hashing many identifiers in a row (a
    100,000-person export): HMAC-SHA256 with its inner and outer keyed states computed once
    (RFC 2104), and a bare e-mail address takes a short path to the same normalised
    identifier. Always equal to `person_hash(i, key)`."""
    raw = _raw_hasher(key)
    return lambda identifier: raw(identifier).hex()


def opt_out_matcher(key: bytes, hashes: Iterable[str]) -> OptOutMatcher:
    """Whether an identifier's `person_hash` under `key` is among `hashes` (the opt-out list),
    for checking every person of a large export (digests compared as bytes)."""
    return OptOutMatcher(key, hashes)


class OptOutMatcher:
    """Called with an identifier: whether it is on the opt-out list. `flags` checks a whole
    column of identifiers at once, with the per-person work of the common case (a bare e-mail
    address or principal name) inline: that loop runs once per person of an export."""

    def __init__(self, key: bytes, hashes: Iterable[str]) -> None:
        self._raw = _raw_hasher(key)
        self._wanted = frozenset(bytes.fromhex(h) for h in hashes)
        block = bytes(key) if len(key) <= 64 else hashlib.sha256(key).digest()
        block = block.ljust(64, b"\0")
        inner = hashlib.sha256(bytes(b ^ 0x36 for b in block))
        inner.update(b"sha1:")  # what every normalised mailbox starts with
        self._inner_mailbox = inner
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in block))

    def __call__(self, identifier: str) -> bool:
        return self._raw(identifier) in self._wanted

    def flags(self, identifiers: Iterable[str]) -> list[bool]:
        """For each identifier, whether it is on the list (one stripped to nothing never is):
        always `[bool(i.strip()) and self(i.strip()) for i in identifiers]`."""
        wanted, raw = self._wanted, self._raw
        if not wanted:
            return [False for _ in identifiers]
        sha1, inner, outer = hashlib.sha1, self._inner_mailbox.copy, self._outer.copy
        flags: list[bool] = []
        append = flags.append
        for identifier in identifiers:
            text = identifier.strip()
            if "@" in text and ":" not in text and "|" not in text:
                # the normalised mailbox, `sha1:` + SHA-1 of `mailto:` + the lowercased address
                i = inner()
                i.update(sha1(b"mailto:" + text.lower().encode()).hexdigest().encode())
                o = outer()
                o.update(i.digest())
                append(o.digest() in wanted)
            else:
                append(bool(text) and raw(text) in wanted)
        return flags


def _raw_hasher(key: bytes) -> Callable[[str], bytes]:
    block = bytes(key) if len(key) <= 64 else hashlib.sha256(key).digest()
    block = block.ljust(64, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in block))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in block))
    inner_mailbox = inner.copy()
    inner_mailbox.update(b"sha1:")  # what every normalised mailbox starts with
    mailto = hashlib.sha1(b"mailto:")

    def digest(identifier: str) -> bytes:
        text = identifier.strip()
        if "@" in text and ":" not in text and "|" not in text:
            mailbox = mailto.copy()
            mailbox.update(text.lower().encode())
            i = inner_mailbox.copy()
            i.update(mailbox.hexdigest().encode())
        else:
            i = inner.copy()
            i.update(normalise_identifier(identifier).encode())
        o = outer.copy()
        o.update(i.digest())
        return o.digest()

    return digest


# --- erasure: what forgetting a person rewrites in review meetings --------------------------
# (Imported here, not at the top, so this section stays one block at the end of the module.)


def scrub_action_item(
    row: Mapping[str, Any], person_id: str, who: Callable[[str], str], text: Callable[[str], str]
) -> dict[str, Any]:
    """An action item's people and text with the person erased: unassigned if it was theirs,
    names rewritten by `who` (a whole-value name) and free text by `text`."""
    owner_name = row["owner_name"]
    values = {
        "owner_id": None if row["owner_id"] == person_id else row["owner_id"],
        "owner_name": who(owner_name) if owner_name else owner_name,
        "text": text(row["text"]),
        "created_by": who(row["created_by"]),
        "updated_by": who(row["updated_by"]),
    }
    if row["owner_id"] == person_id:
        values["owner_name"] = who(owner_name) if owner_name else ""
    return values


def scrub_review(
    row: Mapping[str, Any], person_id: str, who: Callable[[str], str], text: Callable[[str], str]
) -> dict[str, Any]:
    """A review's attendees, notes, recorder and snapshot with the person erased (the agenda's
    owners unassigned and renamed, its text rewritten), as `scrub_action_item` does."""
    snapshot = dict(row["snapshot"])
    agenda = []
    for item in snapshot.get("agenda", []):
        item = dict(item)
        if item.get("owner_id") == person_id:
            item["owner_id"] = None
        item["owner_name"] = who(item.get("owner_name") or "") if item.get("owner_name") else ""
        item["text"] = text(item.get("text", ""))
        agenda.append(item)
    if "agenda" in snapshot:
        snapshot["agenda"] = agenda
    return {
        "attendees": [who(n) for n in row["attendees"]],
        "notes": text(row["notes"]),
        "recorded_by": who(row["recorded_by"]),
        "snapshot": snapshot,
    }
