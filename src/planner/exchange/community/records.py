"""The records of a community tool's export: its communities and their figures, the format
that read it, and what a format's reader is given (file name, user's window, opt-out check).

Plain dataclasses; imports only the reader (`Rows`, `Window`, the format error).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from planner.exchange.community.reader import (
    CommunityFormatError,
    Rows,
    Window,
)

OptOut = Callable[[str], bool]
"""Whether a person's identifier (e-mail or principal name) is on the opt-out list."""


@dataclass(frozen=True)
class Community:
    """The figures for one community in a file: `name` is the channel, group or category for a
    per-community file, None when the whole file is one community."""

    name: str | None
    figures: Mapping[str, float]


@dataclass(frozen=True)
class CommunityExport:
    """What one file says, without a single person's identifier in it."""

    file: str
    format_id: str
    tool: str
    title: str
    source: str
    """The readings' source column (at most 8 characters)."""
    window: Window
    window_from: str
    """Where the window came from: the file's columns, its name, or the user."""
    rows: int
    opted_out: int
    communities: tuple[Community, ...]
    notes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.tool} {self.title}"

    def community(self, name: str | None) -> Community:
        """The community `name` picks (casefolded, a leading # ignored); the only one when
        `name` is None. CommunityFormatError lists the names otherwise."""
        if name is None:
            if len(self.communities) == 1:
                return self.communities[0]
            raise CommunityFormatError(
                self.file,
                f"{len(self.communities):,} channels or groups in this file "
                f"({community_names(self.communities)}); choose one (--channel NAME)",
            )
        wanted = name.strip().lstrip("#").casefold()
        for community in self.communities:
            if community.name is None or community.name.lstrip("#").casefold() == wanted:
                return community
        raise CommunityFormatError(
            self.file,
            f"no channel or group '{name}' in this file ({community_names(self.communities)})",
        )


def community_names(communities: Sequence[Community], shown: int = 8) -> str:
    names = [c.name or "" for c in communities[:shown]]
    more = len(communities) - shown
    return ", ".join(names) + (f" and {more:,} more" if more > 0 else "")


@dataclass(frozen=True)
class Format:
    id: str
    tool: str
    title: str
    source: str
    required: tuple[str, ...]
    read: Callable[[Rows, Context], CommunityExport] = field(repr=False)

    @property
    def label(self) -> str:
        return f"{self.tool} {self.title}"


@dataclass(frozen=True)
class Context:
    file: str
    window: Window | None
    opted_out: OptOut | None
