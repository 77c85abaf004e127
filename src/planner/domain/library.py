"""The playbook library: every tactic after overrides, the merged taxonomy, and each problem
found on the way, located by file, line and column (records only; `planner.exchange.playbooks`
reads the folders)."""

from __future__ import annotations

from dataclasses import dataclass, field

from planner.domain.playbook import Tactic, Taxonomy
from planner.errors import NotFoundError


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file, with a 1-based position when there is one."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None
    field: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}" if self.line else self.path
        what = f"{self.field}: {self.message}" if self.field else self.message
        return f"{where}: {what}"


@dataclass(frozen=True)
class Source:
    path: str
    line: int


@dataclass(frozen=True)
class Override:
    tactic_id: str
    replaced: Source
    by: Source

    def __str__(self) -> str:
        return (
            f"tactic '{self.tactic_id}' from {self.replaced.path}:{self.replaced.line} "
            f"is overridden by {self.by.path}:{self.by.line}"
        )


@dataclass
class Library:
    """All tactics after overrides, the merged taxonomy, and what went wrong on the way."""

    taxonomy: Taxonomy
    tactics: dict[str, Tactic] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    overrides: list[Override] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def tactic(self, tactic_id: str) -> Tactic:
        try:
            return self.tactics[tactic_id]
        except KeyError:
            raise NotFoundError(f"No tactic '{tactic_id}' in the playbook library.") from None
