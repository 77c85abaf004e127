"""xAPI statements to plan readings: read, validate, map and count them, streaming.

    read_statements     one or several files, one batch; FILE:N positions; three shapes
    validate_statement  the xAPI 1.0.3 checks, each failure with a reason a person can act on
                        (the data rules are tables in planner.exchange.xapi_spec)
    aggregate           the whole import, without a database: an XapiBatch for the storage

Files are JSON arrays of statements, LRS answers (`{"statements": [...], "more": ...}`) or JSON
lines, told apart by their first bytes. Arrays and LRS answers are parsed with ijson (its C
backend), JSON lines a line at a time, so memory does not grow with the file; what does grow is
the set of statement keys the batch returns, about 130 bytes per statement.

The order of work for each statement is fixed by privacy: the actor's identifiers are the first
thing read, and a statement whose actor has opted out is dropped there, before it is validated,
counted or hashed into anything kept. Identifiers are pseudonymised with a keyed hash
(`services.privacy.person_hash`) and the batch holds only those hashes; no message in the report
quotes an identifier or a name. Each distinct actor is checked and hashed once per import.

Voiding follows the specification within the batch: a statement voided by a `voided` statement
anywhere in the batch, before or after it, is not counted, and voiding statements are never
counted themselves. A void that arrives after the statement it voids makes the import read the
files a second time (it keeps no per-statement record to undo); an LRS lists the newest first, so
voids usually come first.
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import json
import re
import shutil
import tempfile
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import IO, Any, NamedTuple

import ijson

from planner.domain.limits import (
    MAX_JSON_DEPTH,
    MAX_YEAR,
    MIN_YEAR,
    DepthGuardedStream,
    LimitError,
    json_depth_problem,
)
from planner.domain.periods import period_key
from planner.domain.privacy import person_hash
from planner.exchange import xapi_spec as spec
from planner.exchange.xapi_mapping import Mapping

VOIDED = "http://adlnet.gov/expapi/verbs/voided"
PROGRESS_EVERY = 5_000
"""`on_progress` is called after this many statements, and once at the end."""
MAX_LISTED = 10_000
"""Invalid statements and warnings listed in a report; beyond this they are only counted."""

_PEEK = 64 * 1024
_ACTORS_KEPT = 1 << 16  # distinct actors remembered within one import
_SPOOL = 16 * 1024 * 1024  # non-seekable input (a pipe) is copied to a temporary file past this
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
_FIRST_KEY = re.compile(rb'\{\s*"((?:[^"\\]|\\.)*)"')

Position = str
"""`FILE:N`: the Nth statement of that file, counted from 1."""


class ParseError(NamedTuple):
    """A statement that could not be read as JSON (in place of the statement)."""

    message: str


# --- reading -------------------------------------------------------------------------------------


def read_statements(files: Sequence[tuple[str, IO[bytes]]]) -> Iterator[tuple[Position, Any]]:
    """Every statement of every file, in order, as (`FILE:N`, the parsed JSON or a ParseError).

    A file that stops being valid JSON ends with one ParseError at the statement where it broke.
    """
    for name, stream in files:
        _shape, statements = _file_statements(name, _seekable(stream))
        for n, stmt in statements:
            yield f"{name}:{n}", stmt


def _seekable(stream: IO[bytes]) -> IO[bytes]:
    if stream.seekable():
        return stream
    spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL)  # noqa: SIM115 - returned open
    shutil.copyfileobj(stream, spool)
    spool.seek(0)
    return spool


def _file_statements(name: str, stream: IO[bytes]) -> tuple[str, Iterator[tuple[int, Any]]]:
    """The file's shape ('array', 'statement-result', 'json-lines' or 'unknown') and statements."""
    start = stream.tell()
    head = stream.read(_PEEK)
    skip = 0
    if head.startswith(codecs.BOM_UTF8):
        skip = len(codecs.BOM_UTF8)
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "unknown", _failed(1, "is UTF-16 text; save it as UTF-8")
    stripped = head[skip:].lstrip()
    while not stripped and len(head) == _PEEK:  # a long run of white space: look further
        head = stream.read(_PEEK)
        stripped = head.lstrip()
    stream.seek(start + skip)
    if not stripped:
        return "empty", iter(())
    first = stripped[:1]
    # Arrays and LRS answers are read through a guard that counts nesting on the raw bytes
    # before ijson sees them: ijson keeps a prefix per level, so a deep file would cost memory
    # that grows with the square of its depth.
    if first == b"[":
        return "array", _ijson_statements(DepthGuardedStream(stream, name), "item")
    if first == b"{":
        key = _FIRST_KEY.match(stripped)
        if key is not None and key.group(1) in (b"statements", b"more"):
            return "statement-result", _ijson_statements(
                DepthGuardedStream(stream, name), "statements.item"
            )
        return "json-lines", _json_lines(stream)
    return "unknown", _failed(
        1,
        "is not JSON; give a JSON array of statements, an LRS answer "
        '({"statements": [...]}) or JSON lines (one statement per line)',
    )


def _failed(n: int, message: str) -> Iterator[tuple[int, Any]]:
    yield n, ParseError(message)


def _ijson_statements(stream: DepthGuardedStream, prefix: str) -> Iterator[tuple[int, Any]]:
    n = 0
    try:
        for n, stmt in enumerate(ijson.items(stream, prefix, use_float=True), 1):
            yield n, stmt
    except ijson.JSONError as exc:
        yield n + 1, ParseError(f"{_first_line(exc)}; the rest of the file could not be read")
    except LimitError as exc:
        yield n + 1, ParseError(f"{exc}; the rest of the file was not read")


def _first_line(exc: Exception) -> str:
    """yajl's message without the excerpt of the file it appends (which may hold an email)."""
    raw = exc.args[0] if exc.args else ""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    text = text.strip().splitlines()[0] if text.strip() else "not valid JSON"
    if not text.startswith(("parse error", "lexical error")):
        return f"not valid JSON: {text}"
    return "not valid JSON: " + text.split(":", 1)[1].strip()


_DECODE = json.JSONDecoder().raw_decode


_NOT_LINES = (
    "starts with a JSON object that does not end on its first line; give a JSON array of "
    'statements, an LRS answer ({"statements": [...]}) or JSON lines (one statement per line)'
)


def _json_lines(stream: IO[bytes]) -> Iterator[tuple[int, Any]]:
    # raw_decode on the decoded line: json.loads without its per-call encoding sniffing.
    n = 0
    decode = _DECODE
    for line in stream:
        if line.isspace():
            continue
        n += 1
        text = ""
        if line.count(b"[") + line.count(b"{") > MAX_JSON_DEPTH:
            too_deep = json_depth_problem(line)
            if too_deep is not None:
                yield n, ParseError(too_deep.split(": ", 1)[1])
                continue
        try:
            text = line.decode("utf-8")
            if text[0] <= " ":
                text = text.lstrip()
            stmt, end = decode(text)
            if end == len(text) or text[end:].isspace():
                yield n, stmt
                continue
            problem = f"not valid JSON: more after the statement, at column {end + 1} of its line"
        except json.JSONDecodeError as exc:
            if n == 1 and text.startswith("{"):
                yield n, ParseError(_NOT_LINES)
                return
            problem = f"not valid JSON: {exc.msg} at column {exc.colno} of its line"
        except UnicodeDecodeError:
            problem = "not valid JSON: the line is not UTF-8 text"
        except RecursionError:
            problem = "not valid JSON: nested too deeply"
        yield n, ParseError(problem)


# --- validation ----------------------------------------------------------------------------------


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
    found, errors, warnings = _validate(stmt, now)
    return Validated(None if found is None else StatementInfo(*found), errors, warnings)


_Found = tuple[str | None, str, str | None, str | None, datetime, str | None]
"""StatementInfo's fields as a plain tuple: the import's loop skips building the NamedTuple."""


def _validate(
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
        _check_statement_actor(stmt, where.actor, errors)
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


def _check_statement_actor(stmt: dict[str, Any], where: str, errors: list[str]) -> None:
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


# --- keys and identities -------------------------------------------------------------------------


def statement_key(stmt: dict[str, Any]) -> str:
    """The key that makes imports idempotent: the statement's id in lower case, or, when it has
    none, `sha256:` and the SHA-256 of its canonical JSON (sorted keys, no white space)."""
    statement_id = stmt.get("id")
    if isinstance(statement_id, str) and _UUID.match(statement_id):
        return statement_id.lower()
    return _content_key(stmt)


def _content_key(stmt: dict[str, Any]) -> str:
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


def _actor_hashes(actor: Any, hash_of: Callable[[str], str]) -> tuple[list[str], list[str]]:
    """(hashes of every identifier the actor gives, hashes of the people it stands for): an
    Agent stands for itself; a Group for its listed members, else for itself."""
    if type(actor) is not dict:
        return [], []
    if actor.get("objectType") != "Group":
        own = [hash_of(i) for i in _identifiers(actor)]
        return own, own
    own = [hash_of(i) for i in _identifiers(actor)]
    members: list[str] = []
    listed = actor.get("member")
    if type(listed) is list:
        for member in listed:
            members.extend(hash_of(i) for i in _identifiers(member))
    return own + members, members or own


# --- the batch -----------------------------------------------------------------------------------

PeriodKey = tuple[str, str, str]
"""(item id, metric id, period)."""


@dataclass
class FileReport:
    """What happened to one file's statements. read = valid + invalid + opted_out, and
    valid = duplicates + already_imported + voiding + voided + unmapped + mapped."""

    name: str
    shape: str = "unknown"
    read: int = 0
    valid: int = 0
    invalid: int = 0
    opted_out: int = 0
    duplicates: int = 0
    """Valid statements whose key appeared earlier in the batch (an LRS's overlapping pages)."""
    already_imported: int = 0
    voiding: int = 0
    voided: int = 0
    unmapped: int = 0
    mapped: int = 0


@dataclass
class ImportReport:
    """The batch's report: per file, the problems (FILE:N and a reason) and the warnings."""

    files: list[FileReport] = field(default_factory=list)
    invalid: list[tuple[Position, str]] = field(default_factory=list)
    warnings: list[tuple[Position, str]] = field(default_factory=list)
    invalid_count: int = 0
    """All invalid statements; `invalid` lists the first MAX_LISTED."""
    warning_count: int = 0
    unmapped_verbs: dict[str, int] = field(default_factory=dict)
    """Verb IRIs of the statements no rule mapped, with how many: what a new rule could use."""

    def total(self, name: str) -> int:
        """The sum over files of one FileReport count, e.g. total('mapped')."""
        return sum(getattr(f, name) for f in self.files)

    @property
    def ok(self) -> bool:
        """True when no statement was invalid: nothing for the user to choose about."""
        return self.invalid_count == 0

    def summary_lines(self, shown: int = 20) -> list[str]:
        """The report in words for a terminal or a page: a line per file, then the first
        `shown` invalid statements and warnings, then the verbs no rule maps."""
        lines = [_describe_file(f) for f in self.files]
        for title, listed, total in (
            ("Invalid statements", self.invalid, self.invalid_count),
            ("Warnings", self.warnings, self.warning_count),
        ):
            if total:
                lines.append(f"{title} ({total:,}):")
                lines.extend(f"  {position}: {message}" for position, message in listed[:shown])
                if total > min(shown, len(listed)):
                    lines.append(f"  ... and {total - min(shown, len(listed)):,} more")
        if self.unmapped_verbs:
            ranked = sorted(self.unmapped_verbs.items(), key=lambda kv: (-kv[1], kv[0]))
            lines.append("Verbs no rule maps (add a rule to count them):")
            lines.extend(f"  {verb}: {n:,}" for verb, n in ranked[:shown])
        return lines


_SHAPES = {
    "array": "JSON array",
    "statement-result": "LRS answer",
    "json-lines": "JSON lines",
    "empty": "empty",
    "unknown": "not read",
}
_OUTCOMES = (
    ("mapped", "counted"),
    ("unmapped", "not mapped by any rule"),
    ("voided", "voided"),
    ("voiding", "voiding"),
    ("duplicates", "repeated in this batch"),
    ("already_imported", "imported before"),
    ("opted_out", "opted out"),
    ("invalid", "invalid"),
)


def _describe_file(file: FileReport) -> str:
    parts = [f"{getattr(file, name):,} {label}" for name, label in _OUTCOMES if getattr(file, name)]
    found = f"{file.read:,} statement{'s' if file.read != 1 else ''}"
    return f"{file.name} ({_SHAPES.get(file.shape, file.shape)}): {found}" + (
        ": " + ", ".join(parts) if parts else ""
    )


@dataclass
class XapiBatch:
    """What an import adds: statement keys, counts and pseudonymous people per item, metric and
    period, and the report. Holds no raw identifier or name."""

    statement_ids: set[str] = field(default_factory=set)
    counts: dict[PeriodKey, int] = field(default_factory=dict)
    people: dict[PeriodKey, set[str]] = field(default_factory=dict)
    report: ImportReport = field(default_factory=ImportReport)


def aggregate(
    files: Sequence[tuple[str, IO[bytes]]],
    mapping: Mapping,
    *,
    key: bytes,
    opt_out_hashes: Collection[str] = frozenset(),
    now: datetime,
    seen: Collection[str] = frozenset(),
    on_progress: Callable[[int], None] | None = None,
    progress_every: int = PROGRESS_EVERY,
) -> XapiBatch:
    """Read, validate, map and count a batch of xAPI files; never raises for a bad statement.

    `key` is the pseudonym key for `person_hash`; `opt_out_hashes` are person hashes under that
    key; `seen` holds the keys of statements imported before (skipped and counted). `now` (aware)
    is the time of import. The caller decides, from the report, whether to keep the batch.
    """
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    streams = [(name, _seekable(stream)) for name, stream in files]
    starts = [stream.tell() for _name, stream in streams]
    hash_of = functools.lru_cache(maxsize=1 << 16)(functools.partial(person_hash, key=key))
    run = _Pass(mapping, hash_of, opt_out_hashes, now, seen, on_progress, progress_every)
    run.run(streams)
    if run.late_voids:
        # A void came after the statement it voids: count again, knowing every void up front.
        for (_name, stream), start in zip(streams, starts, strict=True):
            stream.seek(start)
        again = _Pass(mapping, hash_of, opt_out_hashes, now, seen, on_progress, progress_every)
        again.read = run.read
        again.void_targets = set(run.void_targets)
        again.run(streams)
        run = again
    return run.batch()


class _Pass:
    """One reading of the batch's files."""

    def __init__(
        self,
        mapping: Mapping,
        hash_of: Callable[[str], str],
        opt_out: Collection[str],
        now: datetime,
        seen: Collection[str],
        on_progress: Callable[[int], None] | None,
        every: int,
    ) -> None:
        self.mapping = mapping
        self.hash_of = hash_of
        self.opt_out = frozenset(opt_out)
        self.now = now
        self.seen = seen
        self.on_progress = on_progress
        self.every = max(1, every)
        self.read = 0
        self.keys: set[str] = set()
        self.counts: dict[PeriodKey, int] = {}
        self.people: dict[PeriodKey, set[str]] = {}
        self.report = ImportReport()
        self.void_targets: set[str] = set()
        self.voiding_ids: set[str] = set()
        self.voids_at: dict[str, Position] = {}  # target -> the first voiding statement
        self.late_voids = False
        self._periods: dict[tuple[date, str], str] = {}

    def run(self, streams: Sequence[tuple[str, IO[bytes]]]) -> None:
        for name, stream in streams:
            shape, statements = _file_statements(name, stream)
            file = FileReport(name, shape)
            self.report.files.append(file)
            if shape == "empty":
                self._warn(f"{name}", "is empty: it holds no statements")
            self._file(name, file, statements)
            if shape == "statement-result" and file.read == 0:
                self._warn(name, "is an LRS answer with no statements in its 'statements' list")
        if self.on_progress is not None:
            self.on_progress(self.read)

    def _file(self, name: str, file: FileReport, statements: Iterator[tuple[int, Any]]) -> None:
        # The hot loop: locals for everything it touches on each statement, plain tuples, and
        # the common counts kept in locals until the file ends.
        hash_of, opt_out, now, seen = self.hash_of, self.opt_out, self.now, self.seen
        keys, void_targets, targets_of = self.keys, self.void_targets, self.mapping.targets
        counts, people, periods = self.counts, self.people, self._periods
        unmapped_verbs = self.report.unmapped_verbs
        on_progress, every = self.on_progress, self.every
        read, valid, mapped, unmapped = self.read, 0, 0, 0
        actors: dict[tuple[Any, ...], tuple[list[str], list[str], list[str]]] = {}
        for n, stmt in statements:
            read += 1
            if on_progress is not None and read % every == 0:
                on_progress(read)
            if type(stmt) is ParseError:
                file.invalid += 1
                self._invalid(f"{name}:{n}", stmt.message)
                continue
            # Each distinct actor is checked and hashed once (actors repeat: a few hundred
            # people make most batches); an actor that is not a flat mapping is not cached.
            actor = stmt.get("actor") if type(stmt) is dict else None
            try:
                signature = tuple(actor.items()) if type(actor) is dict else None
                known = actors.get(signature) if signature is not None else None
            except TypeError:  # an account or a member list inside: not hashable
                signature = known = None
            actor_errors: list[str] | None
            if known is None:
                given, persons = _actor_hashes(actor, hash_of)
                actor_errors = None
            else:
                given, persons, actor_errors = known
            if opt_out and not opt_out.isdisjoint(given):
                file.opted_out += 1  # before the statement is checked or counted in any way
                continue
            if actor_errors is None:
                actor_errors = spec.Problems()
                if actor is None:
                    actor_errors.append("actor is missing")
                else:
                    _check_statement_actor(stmt, "actor", actor_errors)
                if signature is not None:
                    if len(actors) >= _ACTORS_KEPT:
                        actors.clear()
                    actors[signature] = (given, persons, actor_errors)
            found, errors, warnings = _validate(stmt, now, actor_errors)
            if warnings:
                for warning in warnings:
                    self._warn(f"{name}:{n}", warning)
            if found is None:
                file.invalid += 1
                self._invalid(f"{name}:{n}", "; ".join(errors))
                continue
            valid += 1
            statement_id, verb, activity_id, activity_type, moment, voids = found
            statement_key = statement_id if statement_id is not None else _content_key(stmt)
            if voids is not None:
                self._void(f"{name}:{n}", statement_key, voids)
            if statement_key in seen:
                file.already_imported += 1
                continue
            if statement_key in keys:
                file.duplicates += 1
                continue
            keys.add(statement_key)
            if voids is not None:
                file.voiding += 1
                continue
            if statement_id is not None and statement_id in void_targets:
                file.voided += 1
                continue
            targets = targets_of(verb, activity_id, activity_type)
            if not targets:
                unmapped += 1
                if len(unmapped_verbs) < 1000 or verb in unmapped_verbs:
                    unmapped_verbs[verb] = unmapped_verbs.get(verb, 0) + 1
                continue
            mapped += 1
            day = moment.date()
            for target in targets:
                period = periods.get((day, target.cadence))
                if period is None:
                    period = periods[(day, target.cadence)] = period_key(day, target.cadence)
                slot = (target.item_id, target.metric_id, period)
                if target.count_people:
                    bucket = people.get(slot)
                    if bucket is None:
                        bucket = people[slot] = set()
                    bucket.update(persons)
                else:
                    counts[slot] = counts.get(slot, 0) + 1
        file.read = read - self.read
        file.valid, file.mapped, file.unmapped = valid, mapped, unmapped
        self.read = read

    def _void(self, position: Position, voiding_key: str, target: str) -> None:
        self.voiding_ids.add(voiding_key)
        if target in self.keys and not (target in self.void_targets or target in self.voiding_ids):
            self.late_voids = True  # counted already: only a second pass can take it out
        self.void_targets.add(target)
        self.voids_at.setdefault(target, position)

    def _invalid(self, position: Position, reason: str) -> None:
        self.report.invalid_count += 1
        if len(self.report.invalid) < MAX_LISTED:
            self.report.invalid.append((position, reason))

    def _warn(self, position: Position, message: str) -> None:
        self.report.warning_count += 1
        if len(self.report.warnings) < MAX_LISTED:
            self.report.warnings.append((position, message))

    def batch(self) -> XapiBatch:
        for target, position in self.voids_at.items():
            if target in self.voiding_ids:
                self._warn(position, f"voids {target}, a voiding statement, which xAPI ignores")
            elif target not in self.keys:
                self._warn(
                    position,
                    f"voids statement {target}, which is not in this batch; if an earlier "
                    "import counted it, it stays counted",
                )
        return XapiBatch(self.keys, self.counts, self.people, self.report)


__all__ = [
    "MAX_LISTED",
    "PROGRESS_EVERY",
    "VOIDED",
    "FileReport",
    "ImportReport",
    "ParseError",
    "StatementInfo",
    "Validated",
    "XapiBatch",
    "aggregate",
    "read_statements",
    "statement_key",
    "validate_statement",
]
