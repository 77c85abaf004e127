"""Importing adoption data from files: readings CSVs and xAPI batches, for the CLI and the pages.

An xAPI import reads the files once as one batch, keeps the pseudonymised counts, never the
statements. Without `skip_invalid`, any invalid statement stops the import before anything is
written (the report says `FILE:N` and why); with it, the valid statements are imported and the
report is kept for the user.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from planner import services
from planner.domain.access import Permission, require
from planner.errors import PlannerError
from planner.exchange.xapi import ImportReport, aggregate
from planner.exchange.xapi_mapping import SAMPLE_MAPPING, load_mapping
from planner.services import readings
from planner.services.privacy import opt_out_hashes, pseudonym_key
from planner.store import Engine

MAX_REPORTED = 20


class InvalidStatementsError(PlannerError):
    """Some statements are invalid and --skip-invalid was not given: nothing was written."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        lines = [f"  {where}: {why}" for where, why in report.invalid[:MAX_REPORTED]]
        more = report.invalid_count - len(lines)
        if more > 0:
            lines.append(f"  … and {more} more")
        super().__init__(
            f"{report.invalid_count} invalid statement(s); nothing was imported. Fix them, or "
            "import the valid ones and keep this report (--skip-invalid):\n" + "\n".join(lines)
        )


@dataclass(frozen=True)
class XapiImport:
    report: ImportReport
    summary: readings.XapiImportSummary

    def details(self) -> list[str]:
        """Per file, then the invalid statements (FILE:N), warnings and unmapped verbs."""
        return self.report.summary_lines(shown=MAX_REPORTED)

    def describe(self) -> str:
        r = self.report
        parts = [
            f"{r.total('read'):,} statement(s) read",
            f"{r.total('mapped'):,} counted",
            f"{r.invalid_count:,} invalid",
            f"{r.total('unmapped'):,} not mapped by any rule",
            f"{r.total('opted_out'):,} dropped (opted out)",
            f"{r.total('voided'):,} voided",
            f"{r.total('already_imported'):,} imported before and skipped",
            f"{r.total('duplicates'):,} repeated within the batch",
        ]
        s = self.summary
        return (
            "; ".join(parts)
            + f". {s.readings_created:,} reading(s) created, {s.readings_updated:,} updated."
        )


def import_xapi(
    engine: Engine,
    plan_id: str,
    files: Sequence[tuple[str, IO[bytes]]],
    *,
    actor: str,
    mapping: Path | bytes | None = None,
    mapping_name: str | None = None,
    replace: bool = False,
    skip_invalid: bool = False,
    on_progress: Callable[[int], None] | None = None,
    now: datetime | None = None,
) -> XapiImport:
    """Aggregate the files as one batch and merge it into the plan's readings (one transaction)."""
    require(actor, Permission.READINGS_EDIT, f"import xAPI statements into plan {plan_id}")
    items = services.get_items(engine, plan_id)
    rules = load_mapping(
        mapping if mapping is not None else SAMPLE_MAPPING,
        items,
        name=mapping_name or (str(mapping) if isinstance(mapping, Path) else None),
    )
    key = pseudonym_key(engine)
    seen = frozenset() if replace else readings.imported_statement_ids(engine, plan_id)
    batch = aggregate(
        files,
        rules,
        key=bytes(key),
        opt_out_hashes=opt_out_hashes(engine),
        now=now or datetime.now(UTC),
        seen=seen,
        on_progress=on_progress,
    )
    if batch.report.invalid_count and not skip_invalid:
        raise InvalidStatementsError(batch.report)
    summary = readings.apply_xapi_batch(engine, plan_id, batch, actor=actor, replace=replace)
    return XapiImport(batch.report, summary)


def import_xapi_paths(
    engine: Engine, plan_id: str, paths: Sequence[Path], **options: object
) -> XapiImport:
    """`import_xapi` over files on disk, each opened for streaming and closed afterwards."""
    with opened_files(paths) as files:
        return import_xapi(engine, plan_id, files, **options)  # type: ignore[arg-type]


@contextlib.contextmanager
def opened_files(paths: Sequence[Path]) -> Iterator[list[tuple[str, IO[bytes]]]]:
    """(name, binary file) for each path, open for streaming until the block ends; a file that
    cannot be read is a PlannerError naming it (the ones opened before are closed)."""
    with contextlib.ExitStack() as stack:
        files: list[tuple[str, IO[bytes]]] = []
        for path in paths:
            try:
                files.append((path.name, stack.enter_context(path.open("rb"))))
            except OSError as exc:
                raise PlannerError(f"{path}: cannot read the file ({exc.strerror}).") from None
        yield files
