"""Playbook checks beyond the schema: taxonomy ids, weeks, reserved metrics, shares, targets,
prerequisites across files, and the tags a tactic's steps serve.

Every check returns `Problem`s located by file, line and column (through the YAML `Document`),
in the order users read them. Imports domain playbook records and `yamlsource` only; the
parsed tactics (`_Parsed`) come from `planner.exchange.playbooks`, which calls these checks.
"""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING, Any

from planner.domain.playbook import (
    MAX_COUNT_PER_PERSON_WEEK,
    Metric,
    Tactic,
    Taxonomy,
)
from planner.exchange.yamlsource import (
    Document,
    Problem,
    dotted,
    short,
)

# Which taxonomy list each tactic/metric field draws its ids from.
_TACTIC_REFS: dict[str, str] = {
    "category": "categories",
    "purposes": "purposes",
    "practices": "practices",
    "audiences": "audiences",
    "owner_role": "owner_roles",
    "stage": "stages",
    "outcomes": "outcome_measures",
}

if TYPE_CHECKING:
    from planner.exchange.playbooks import _Parsed


_METRIC_REFS: dict[str, str] = {
    "aggregation": "aggregations",
    "direction": "directions",
    "cadence": "cadences",
    "framework": "frameworks",
}


_SINGULAR = {
    "purposes": "purpose",
    "practices": "practice",
    "stages": "stage",
    "categories": "category",
    "audiences": "audience",
    "owner_roles": "owner role",
    "cadences": "cadence",
    "aggregations": "aggregation",
    "directions": "direction",
    "frameworks": "framework",
    "outcome_measures": "outcome measure",
}


def reference_problems(item: _Parsed, taxonomy: Taxonomy) -> list[Problem]:
    """A tactic's problems beyond its schema: unknown ids, weeks out of range, reserved metrics."""
    t, doc = item.tactic, item.doc
    base: list[str | int] = ["tactics", item.index]
    problems: list[Problem] = []

    for fname, kind in _TACTIC_REFS.items():
        value = getattr(t, fname)
        if value is None:
            continue
        if isinstance(value, list):
            for j, v in enumerate(value):
                problems += _unknown_id(doc, taxonomy, [*base, fname, j], v, kind)
        else:
            problems += _unknown_id(doc, taxonomy, [*base, fname], value, kind)
    health = {h.id: h for h in taxonomy.health_metrics}
    for m_i, metric in enumerate(t.metrics):
        problems.extend(_metric_problems(doc, [*base, "metrics", m_i], t, metric, taxonomy, health))
    seen_metrics: set[str] = set()
    for m_i, metric in enumerate(t.metrics):
        if metric.id in seen_metrics:
            problems.append(
                doc.problem_at(
                    [*base, "metrics", m_i, "id"],
                    f"duplicate metric id '{metric.id}' in tactic '{t.id}'",
                )
            )
        seen_metrics.add(metric.id)
    for s_i, step in enumerate(t.steps):
        if step.week >= t.duration_weeks:
            problems.append(
                doc.problem_at(
                    [*base, "steps", s_i, "week"],
                    f"found week {step.week}, expected a week before the tactic ends "
                    f"(0 to {t.duration_weeks - 1}, as duration_weeks is {t.duration_weeks})",
                )
            )
    return problems


def _unknown_id(
    doc: Document, taxonomy: Taxonomy, loc: list[str | int], value: str, kind: str
) -> list[Problem]:
    """The problem of an id not in the taxonomy's `kind` (with the closest id as a hint)."""
    known = taxonomy.ids(kind)
    if value in known:
        return []
    hint = difflib.get_close_matches(value, sorted(known), n=1)
    msg = f"unknown {_SINGULAR[kind]} id {short(value)}"
    msg += f" (did you mean '{hint[0]}'?)" if hint else ""
    msg += f"; expected one of the {kind.replace('_', ' ')} in taxonomy.yaml"
    return [doc.problem_at(loc, msg)]


def _metric_problems(
    doc: Document,
    loc: list[str | int],
    t: Tactic,
    metric: Metric,
    taxonomy: Taxonomy,
    health: dict[str, Any],
) -> list[Problem]:
    """One metric's problems, in the order users read them: ids, weeks, reserved metrics."""
    problems: list[Problem] = []
    for fname, kind in _METRIC_REFS.items():
        problems += _unknown_id(doc, taxonomy, [*loc, fname], getattr(metric, fname), kind)
    if metric.source is not None:
        problems += _unknown_id(
            doc,
            taxonomy,
            [*loc, "source", "collected_by"],
            metric.source.collected_by,
            "owner_roles",
        )
    if (
        metric.baseline is not None
        and metric.baseline.weeks is not None
        and metric.baseline.weeks >= t.duration_weeks
    ):
        problems.append(
            doc.problem_at(
                [*loc, "baseline", "weeks"],
                f"found {metric.baseline.weeks} weeks, expected fewer than the tactic's "
                f"{t.duration_weeks} (the baseline is taken in its first weeks)",
            )
        )
    if metric.readings_from_week is not None and metric.readings_from_week >= t.duration_weeks:
        problems.append(
            doc.problem_at(
                [*loc, "readings_from_week"],
                f"found week {metric.readings_from_week}, expected a week before the tactic "
                f"ends (1 to {t.duration_weeks - 1})",
            )
        )
    reserved = health.get(metric.id)
    if reserved is not None:
        for fname in ("aggregation", "direction"):
            if getattr(metric, fname) != getattr(reserved, fname):
                problems.append(
                    doc.problem_at(
                        [*loc, fname],
                        f"found {short(getattr(metric, fname))}, expected "
                        f"'{getattr(reserved, fname)}': '{metric.id}' is a reserved "
                        "community-health metric",
                    )
                )
    if reserved is not None and metric.denominator_metric != reserved.denominator_metric:
        problems.append(
            doc.problem_at(
                [*loc],
                f"found denominator_metric {short(metric.denominator_metric)}, expected "
                f"{short(reserved.denominator_metric)}: '{metric.id}' is a reserved "
                "community-health metric",
                field=dotted([*loc, "denominator_metric"]),
            )
        )
    problems.extend(_share_problems(doc, [*loc], t, metric, health))
    problems.extend(_target_problems(doc, [*loc], t, metric))
    if metric.id == "questions-answered-in-time" and metric.response_hours is None:
        problems.append(
            doc.problem_at(
                [*loc],
                "missing 'response_hours': questions-answered-in-time must name its "
                "response-time target in hours",
                field=dotted([*loc, "response_hours"]),
            )
        )
    return problems


def _share_problems(
    doc: Document,
    loc: list[str | int],
    tactic: Tactic,
    metric: Metric,
    health: dict[str, Any],
) -> list[Problem]:
    """What is wrong with a share metric (`denominator_metric`): it is 100 x its own counts /
    the counts of another count metric of the tactic (or a reserved health metric), so it is
    a percent, summed, and says in words what it is out of."""
    if metric.denominator_metric is None:
        return []
    found: list[Problem] = []
    here = {m.id: m for m in tactic.metrics}
    denom_id = metric.denominator_metric
    denom = here.get(denom_id) or health.get(denom_id)
    if denom_id == metric.id or denom is None:
        why = "itself" if denom_id == metric.id else "no metric of the tactic"
        found.append(
            doc.problem_at(
                [*loc, "denominator_metric"],
                f"found {short(denom_id)} ({why}), expected the id of another count metric of "
                "the tactic or a reserved community-health metric",
            )
        )
    elif denom.aggregation != "sum" or getattr(denom, "denominator_metric", None) is not None:
        found.append(
            doc.problem_at(
                [*loc, "denominator_metric"],
                f"found '{denom_id}', expected a count metric (aggregation 'sum', not a share)",
            )
        )
    for fname, wanted in (("unit", "percent"), ("aggregation", "sum")):
        if getattr(metric, fname) != wanted:
            found.append(
                doc.problem_at(
                    [*loc, fname],
                    f"found {short(getattr(metric, fname))}, expected '{wanted}': a metric with "
                    "denominator_metric is a share in percent of summed counts",
                )
            )
    if not metric.denominator:
        found.append(
            doc.problem_at(
                loc,
                "missing 'denominator': a share says in words what it is out of",
                field=dotted([*loc, "denominator"]),
            )
        )
    return found  # its target's range is the percent rule of `_target_problems`


def _target_problems(
    doc: Document, loc: list[str | int], tactic: Tactic, metric: Metric
) -> list[Problem]:
    """Whether a metric's default target can be reached: a percent lies from 0 to 100; it
    moves the right way from a baseline already measured; and, when the tactic states its
    `audience_size`, distinct people stay within its max and a count asks at most
    MAX_COUNT_PER_PERSON_WEEK things per person per week of the tactic."""
    found: list[Problem] = []
    target = metric.target
    if metric.unit.strip().lower() == "percent" and not 0 <= target <= 100:
        found.append(
            doc.problem_at([*loc, "target"], f"found {target:g}, expected a percent from 0 to 100")
        )
    known = metric.baseline.value if metric.baseline is not None else None
    if known is not None:
        higher = metric.direction == "higher"
        if (target <= known) if higher else (target >= known):
            found.append(
                doc.problem_at(
                    [*loc, "target"],
                    f"found {target:g}, expected a target {'above' if higher else 'below'} the "
                    f"baseline {known:g} ({metric.direction} is better)",
                )
            )
    size = tactic.audience_size
    if size is None or metric.is_share:
        return found
    people = metric.unit.strip().lower() == "people"
    if people and target > size.max:
        found.append(
            doc.problem_at(
                [*loc, "target"],
                f"found {target:g} people, expected at most the audience's {size.max:,} "
                "(audience_size.max)",
            )
        )
    elif not people and metric.aggregation == "sum" and metric.direction == "higher":
        most = MAX_COUNT_PER_PERSON_WEEK * size.max * tactic.duration_weeks
        if target > most:
            found.append(
                doc.problem_at(
                    [*loc, "target"],
                    f"found {target:g} {metric.unit}, expected at most {most:,g}: "
                    f"{MAX_COUNT_PER_PERSON_WEEK:g} a person a week from up to {size.max:,} "
                    f"people over {tactic.duration_weeks} weeks",
                )
            )
    return found


def _find_cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """Each elementary cycle found by depth-first search, as a path that returns to its start."""
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    stack: list[str] = []
    seen_sets: set[frozenset[str]] = set()

    for start in graph:
        if state.get(start):
            continue
        work: list[tuple[str, int]] = [(start, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                state[node] = 1
                stack.append(node)
            children = [c for c in graph.get(node, []) if c in graph]
            if i < len(children):
                work.append((node, i + 1))
                child = children[i]
                if state.get(child) == 1:
                    cycle = [*stack[stack.index(child) :], child]
                    key = frozenset(cycle)
                    if key not in seen_sets:
                        seen_sets.add(key)
                        cycles.append(cycle)
                elif not state.get(child):
                    work.append((child, 0))
            else:
                state[node] = 2
                stack.pop()
    return cycles


def prerequisite_problems(valid: dict[str, _Parsed], chosen: dict[str, _Parsed]) -> list[Problem]:
    """Prerequisites: missing ones first, then cycles among those that remain. Each tactic
    with a problem is taken out of `valid`, so the tactics waiting for it are judged again."""
    found: list[Problem] = []
    changed = True
    while changed:
        changed = False
        for tid, item in list(valid.items()):
            for j, pre in enumerate(item.tactic.prerequisites):
                if pre in valid:
                    continue
                if pre in chosen:
                    why = f"prerequisite '{pre}' has errors of its own (see above)"
                else:
                    hint = difflib.get_close_matches(pre, sorted(chosen), n=1)
                    why = f"prerequisite {short(pre)} is not a tactic in the library"
                    why += f" (did you mean '{hint[0]}'?)" if hint else ""
                found.append(item.doc.problem_at(["tactics", item.index, "prerequisites", j], why))
                del valid[tid]
                changed = True
                break
    graph = {tid: list(item.tactic.prerequisites) for tid, item in valid.items()}
    for cycle in _find_cycles(graph):
        head = valid[cycle[0]]
        j = head.tactic.prerequisites.index(cycle[1])
        found.append(
            head.doc.problem_at(
                ["tactics", head.index, "prerequisites", j],
                "prerequisites form a cycle: " + " -> ".join(cycle),
            )
        )
        for tid in cycle:
            valid.pop(tid, None)
    return found


def speaks_of(signal: str, text: str) -> bool:
    """True when `text` has `signal` at the start of a word, ignoring case."""
    return re.search(r"(?<![a-z0-9])" + re.escape(signal.lower()), text.lower()) is not None


def unserved_tags(tactic: Tactic, taxonomy: Taxonomy) -> list[str]:
    """The tactic's purposes and practices that none of its steps speaks of, by the taxonomy
    entries' `signals` ('purposes:onboard-culture'); an entry without signals is not judged."""
    found: list[str] = []
    for kind in ("purposes", "practices"):
        signals = {e.id: e.signals for e in getattr(taxonomy, kind)}
        for tag in getattr(tactic, kind):
            rule = signals.get(tag) or []
            if rule and not any(speaks_of(s, step.text) for s in rule for step in tactic.steps):
                found.append(f"{kind}:{tag}")
    return found
