"""What an xAPI import reports (per file and in total) and the batch it hands to storage.

Plain dataclasses: counts, the statements listed as invalid or warned about (by FILE:N
position), and the batch of statement keys, counts and pseudonymous people per item, metric and
period. No raw identifier or name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from planner.exchange.xapi_files import (
    Position,
)

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
