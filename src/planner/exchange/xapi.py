"""xAPI statements to plan readings: read, validate, map and count them, streaming.

    read_statements     one or several files, one batch; FILE:N positions; three shapes
    validate_statement  the xAPI 1.0.3 checks, each failure with a reason a person can act on
                        (the data rules are tables in planner.exchange.xapi_spec)
    aggregate           the whole import, without a database: an XapiBatch for the storage

This module counts (`aggregate`); reading files is `xapi_files`, checking statements
`xapi_statements` (its data rules are tables in `xapi_spec`), the report and the batch
`xapi_reports`, all in `planner.exchange`; their public names are re-exported here.

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

import functools
from collections.abc import Callable, Collection, Iterator, Sequence
from datetime import date, datetime
from typing import IO, Any

from planner.domain.periods import period_key
from planner.domain.privacy import person_hash
from planner.exchange import xapi_spec as spec
from planner.exchange.xapi_files import ParseError as ParseError
from planner.exchange.xapi_files import Position as Position
from planner.exchange.xapi_files import file_statements, seekable_stream
from planner.exchange.xapi_files import read_statements as read_statements
from planner.exchange.xapi_matching import Mapping, Target
from planner.exchange.xapi_reports import FileReport as FileReport
from planner.exchange.xapi_reports import ImportReport as ImportReport
from planner.exchange.xapi_reports import PeriodKey as PeriodKey
from planner.exchange.xapi_reports import XapiBatch as XapiBatch
from planner.exchange.xapi_statements import VOIDED as VOIDED
from planner.exchange.xapi_statements import StatementInfo as StatementInfo
from planner.exchange.xapi_statements import Validated as Validated
from planner.exchange.xapi_statements import (
    actor_hashes,
    check_statement,
    check_statement_actor,
    content_key,
)
from planner.exchange.xapi_statements import statement_key as statement_key
from planner.exchange.xapi_statements import validate_statement as validate_statement

PROGRESS_EVERY = 5_000
"""`on_progress` is called after this many statements, and once at the end."""
MAX_LISTED = 10_000
"""Invalid statements and warnings listed in a report; beyond this they are only counted."""

_ACTORS_KEPT = 1 << 16  # distinct actors remembered within one import


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
    streams = [(name, seekable_stream(stream)) for name, stream in files]
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
            shape, statements = file_statements(name, stream)
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
        hash_of, opt_out, now = self.hash_of, self.opt_out, self.now
        targets_of = self.mapping.targets
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
                given, persons = actor_hashes(actor, hash_of)
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
                    check_statement_actor(stmt, "actor", actor_errors)
                if signature is not None:
                    if len(actors) >= _ACTORS_KEPT:
                        actors.clear()
                    actors[signature] = (given, persons, actor_errors)
            found, errors, warnings = check_statement(stmt, now, actor_errors)
            if warnings:
                for warning in warnings:
                    self._warn(f"{name}:{n}", warning)
            if found is None:
                file.invalid += 1
                self._invalid(f"{name}:{n}", "; ".join(errors))
                continue
            valid += 1
            statement_id, verb, activity_id, activity_type, moment, voids = found
            if not self._counts(f"{name}:{n}", file, stmt, statement_id, voids):
                continue
            targets = targets_of(verb, activity_id, activity_type)
            if not targets:
                unmapped += 1
                if len(unmapped_verbs) < 1000 or verb in unmapped_verbs:
                    unmapped_verbs[verb] = unmapped_verbs.get(verb, 0) + 1
                continue
            mapped += 1
            self._count(targets, moment.date(), persons)
        file.read = read - self.read
        file.valid, file.mapped, file.unmapped = valid, mapped, unmapped
        self.read = read

    def _counts(
        self,
        position: Position,
        file: FileReport,
        stmt: Any,
        statement_id: str | None,
        voids: str | None,
    ) -> bool:
        """Whether a valid statement is counted: not imported before, not a duplicate in this
        batch, not a voiding statement and not voided (as far as the voids read so far say)."""
        statement_key = statement_id if statement_id is not None else content_key(stmt)
        if voids is not None:
            self._void(position, statement_key, voids)
        if statement_key in self.seen:
            file.already_imported += 1
            return False
        if statement_key in self.keys:
            file.duplicates += 1
            return False
        self.keys.add(statement_key)
        if voids is not None:
            file.voiding += 1
            return False
        if statement_id is not None and statement_id in self.void_targets:
            file.voided += 1
            return False
        return True

    def _count(self, targets: Sequence[Target], day: date, persons: list[str]) -> None:
        """Count a mapped statement in each of its targets' item, metric and period."""
        periods, counts, people = self._periods, self.counts, self.people
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
