"""A mapping resolved against a plan: which item, metric and period a statement counts in.

`Mapping.targets(verb, activity id, activity type)` is asked once per statement, so rules are
compiled up front: verbs looked up in a dict, activity-id patterns (`*` for any text) matched
in linear time. Plain classes: the rules come from `planner.exchange.xapi_mapping`, which loads
and resolves them and re-exports every public name here.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from planner.exchange.xapi_mapping import Rule


class Target(NamedTuple):
    """Where a matching statement is counted."""

    item_id: str
    metric_id: str
    cadence: str
    count_people: bool


@dataclass(frozen=True, slots=True)
class _CompiledRule:
    activity: Callable[[str], object] | None
    activity_type: str | None
    target: Target


def _glob(pattern: str) -> Callable[[str], object]:
    """`*` matches any text, slashes included; everything else (`?` of a query) is literal.

    Matched without backtracking, in time linear in the id: the text before the first `*`
    must start the id, the text after the last must end it, and each piece between is found
    at its leftmost place after the previous one (`str.find`), which is enough for `*`: any
    match can be moved to the leftmost one. A regular expression (`.*a.*a.*b`) backtracks,
    and took minutes on a long id with several stars.
    """
    head, star, tail = pattern.partition("*")
    if not star:
        return pattern.__eq__
    if not tail:
        return operator.methodcaller("startswith", head)  # the usual `.../space/*`, in C
    parts = pattern.split("*")
    return _StarPattern(parts[0], tuple(p for p in parts[1:-1] if p), parts[-1])


@dataclass(frozen=True, slots=True)
class _StarPattern:
    head: str
    middle: tuple[str, ...]
    tail: str

    def __call__(self, text: str) -> bool:
        head, tail = self.head, self.tail
        end = len(text) - len(tail)
        if end < len(head) or not text.startswith(head) or not text.endswith(tail):
            return False
        at = len(head)
        for piece in self.middle:
            found = text.find(piece, at, end)
            if found < 0:
                return False
            at = found + len(piece)
        return True


class Mapping:
    """Rules resolved against a plan: `targets(...)` says where a statement counts."""

    def __init__(self, rules: Iterable[tuple[Rule, Target]], *, source: str = "") -> None:
        self.source = source
        self.rules: list[tuple[Rule, Target]] = list(rules)
        compiled: list[tuple[list[str], _CompiledRule]] = []
        for rule, target in self.rules:
            matcher: Callable[[str], object] | None = None
            if rule.activity is not None:
                exact = "*" not in rule.activity
                matcher = rule.activity.__eq__ if exact else _glob(rule.activity)
            compiled.append((rule.verbs, _CompiledRule(matcher, rule.activity_type, target)))
        # Per verb, the rules that can match it (its own and the verb-less ones), in file order.
        verbs = {verb for rule_verbs, _ in compiled for verb in rule_verbs}
        self._by_verb = {
            verb: tuple(c for rule_verbs, c in compiled if not rule_verbs or verb in rule_verbs)
            for verb in verbs
        }
        self._any_verb = tuple(c for rule_verbs, c in compiled if not rule_verbs)

    def __len__(self) -> int:
        return len(self.rules)

    def targets(
        self, verb: str, activity_id: str | None, activity_type: str | None
    ) -> tuple[Target, ...]:
        """Every target the statement feeds, each (item, metric) once, in the file's order."""
        found: list[Target] = []
        for rule in self._by_verb.get(verb, self._any_verb):
            matches = rule.activity
            if matches is not None and (activity_id is None or not matches(activity_id)):
                continue
            if rule.activity_type is not None and activity_type != rule.activity_type:
                continue
            if rule.target not in found:
                found.append(rule.target)
        return tuple(found)
