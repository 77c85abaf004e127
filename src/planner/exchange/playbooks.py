"""Playbook folders -> a validated Library, with every problem located by file, line and column."""

from __future__ import annotations

import difflib
import functools
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from planner.domain.library import Library, Override, Source
from planner.domain.playbook import (
    MAX_COUNT_PER_PERSON_WEEK,
    Metric,
    PlaybookFile,
    Tactic,
    Taxonomy,
)
from planner.exchange.yamlsource import (
    Document,
    Problem,
    RefusedFile,
    describe_node,
    dotted,
    read_yaml,
    short,
)


def _builtin_dir() -> Path:
    """playbooks/ beside src/ in a checkout; else the working directory's (an installed copy)."""
    beside_source = Path(__file__).resolve().parents[2] / "playbooks"
    if beside_source.is_dir():
        return beside_source
    return Path.cwd() / "playbooks"


BUILTIN_DIR = _builtin_dir()
TAXONOMY_FILE = "taxonomy.yaml"
ENV_VAR = "PLANNER_PLAYBOOKS"

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
_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "model_type": "a mapping of fields",
    "dict_type": "a mapping of fields",
    "model_attributes_type": "a mapping of fields",
}


# --- turning pydantic errors into located problems ---------------------------------------


def _problems_from_validation(
    doc: Document, exc: ValidationError, prefix: Sequence[str | int], model: type[BaseModel]
) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        loc = [*prefix, *err["loc"]]
        kind = err["type"]
        found = err.get("input")
        if kind == "extra_forbidden":
            name = str(loc[-1])
            allowed = _allowed_fields(model, err["loc"][:-1])
            hint = difflib.get_close_matches(name, allowed, n=1)
            msg = f"unknown field {short(name)}"
            msg += f" (did you mean '{hint[0]}'?)" if hint else ""
            msg += f"; expected one of: {', '.join(allowed)}" if allowed else ""
            problems.append(doc.problem_at(loc, msg, at_key=True))
            continue
        if kind == "missing":
            parent = loc[:-1]
            problems.append(
                doc.problem_at(
                    parent, f"missing required field '{loc[-1]}'", at_key=True, field=dotted(loc)
                )
            )
            continue
        shown = _describe_found(found, doc, loc)
        if kind in _EXPECTED:
            msg = f"found {shown}, expected {_EXPECTED[kind]}"
        elif kind == "string_pattern_mismatch":
            msg = f"found {shown}, expected an id of lowercase letters, digits and hyphens"
        elif kind == "too_short":
            least = err.get("ctx", {}).get("min_length")
            count = len(found) if isinstance(found, list | dict) else 0
            msg = f"found {count} entries, expected at least {least}"
        elif kind == "string_too_short":
            least = err.get("ctx", {}).get("min_length")
            msg = f"found {shown}, expected at least {least} characters"
        elif kind == "value_error":
            msg = str(err.get("ctx", {}).get("error", err["msg"]))
        elif kind == "literal_error":
            msg = f"found {shown}, expected {err.get('ctx', {}).get('expected', 'another value')}"
        else:
            msg = f"found {shown}, expected {err['msg'][0].lower()}{err['msg'][1:]}"
            msg = msg.replace("expected input should be ", "expected a value ")
        problems.append(doc.problem_at(loc, msg))
    return problems


def _describe_found(found: Any, doc: Document, loc: Sequence[str | int]) -> str:
    node = doc.exact_node(loc)
    if node is not None:
        return describe_node(node)
    if isinstance(found, dict):
        return "a mapping"
    if isinstance(found, list):
        return f"a list of {len(found)}"
    return short(found)


def _allowed_fields(model: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    """Field names of the model found at `loc` under `model` (for 'did you mean')."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part) if hasattr(current, "model_fields") else None
        if info is None:
            return []
        annotation = info.annotation
        args = getattr(annotation, "__args__", ())
        candidates = [a for a in (*args, annotation) if isinstance(a, type)]
        models = [a for a in candidates if issubclass(a, BaseModel)]
        if not models:
            return []
        current = models[0]
    return list(current.model_fields) if hasattr(current, "model_fields") else []


# --- reading folders ----------------------------------------------------------------------


def playbook_files(folder: Path) -> list[Path]:
    """The playbook files of a folder (not the taxonomy), sorted by name."""
    files = [p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()]
    return sorted(p for p in files if p.name != TAXONOMY_FILE)


def env_folders(value: str | None = None) -> list[Path]:
    raw = os.environ.get(ENV_VAR, "") if value is None else value
    return [Path(p).expanduser() for p in raw.split(os.pathsep) if p.strip()]


def fingerprint(paths: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    """Modification times and sizes of everything a library is built from (a cache key)."""
    out: list[tuple[str, int, int]] = []
    for root in paths:
        candidates = [root] if root.is_file() else []
        if root.is_dir():
            candidates = sorted(p for p in root.iterdir() if p.suffix in (".yaml", ".yml"))
        for p in candidates:
            try:
                st = p.stat()
            except OSError:
                continue
            out.append((str(p), st.st_mtime_ns, st.st_size))
        if not root.exists():
            out.append((str(root), -1, -1))
    return tuple(out)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def load_taxonomy(path: Path) -> tuple[Taxonomy, list[Problem]]:
    name = _display(path)
    try:
        doc = read_yaml(path, name)
    except RefusedFile as refused:
        return Taxonomy(), [refused.problem]
    if not isinstance(doc.data, dict):
        return Taxonomy(), [*doc.problems, doc.problem_at([], "expected a mapping of lists")]
    try:
        return Taxonomy.model_validate(doc.data), doc.problems
    except ValidationError as exc:
        return Taxonomy(), [*doc.problems, *_problems_from_validation(doc, exc, [], Taxonomy)]


class _Envelope(PlaybookFile):
    """A playbook file's own fields; its tactics are validated one by one."""

    tactics: list[Any] = Field(min_length=1)


@dataclass
class _Parsed:
    tactic: Tactic
    doc: Document
    index: int
    source: Source


def _parse_file(path: Path) -> tuple[list[_Parsed], list[Problem]]:
    name = _display(path)
    try:
        doc = read_yaml(path, name)
    except RefusedFile as refused:
        return [], [refused.problem]
    problems = list(doc.problems)
    data = doc.data
    if not isinstance(data, dict):
        problems.append(doc.problem_at([], "expected a mapping with 'title' and 'tactics'"))
        return [], problems
    tactics_raw = data.get("tactics")
    try:
        _Envelope.model_validate(data)
    except ValidationError as exc:
        problems.extend(_problems_from_validation(doc, exc, [], PlaybookFile))
    parsed: list[_Parsed] = []
    if not isinstance(tactics_raw, list):
        return parsed, problems
    for i, raw in enumerate(tactics_raw):
        try:
            tactic = Tactic.model_validate(raw)
        except ValidationError as exc:
            problems.extend(_problems_from_validation(doc, exc, ["tactics", i], Tactic))
            continue
        node, _ = doc.node_at(["tactics", i])
        line = node.start_mark.line + 1 if node is not None else 0
        parsed.append(_Parsed(tactic, doc, i, Source(name, line)))
    return parsed, problems


def _check_references(item: _Parsed, taxonomy: Taxonomy) -> list[Problem]:
    t, doc = item.tactic, item.doc
    base: list[str | int] = ["tactics", item.index]
    problems: list[Problem] = []

    def check(loc: list[str | int], value: str, kind: str) -> None:
        known = taxonomy.ids(kind)
        if value not in known:
            hint = difflib.get_close_matches(value, sorted(known), n=1)
            msg = f"unknown {_SINGULAR[kind]} id {short(value)}"
            msg += f" (did you mean '{hint[0]}'?)" if hint else ""
            msg += f"; expected one of the {kind.replace('_', ' ')} in taxonomy.yaml"
            problems.append(doc.problem_at(loc, msg))

    for fname, kind in _TACTIC_REFS.items():
        value = getattr(t, fname)
        if value is None:
            continue
        if isinstance(value, list):
            for j, v in enumerate(value):
                check([*base, fname, j], v, kind)
        else:
            check([*base, fname], value, kind)
    health = {h.id: h for h in taxonomy.health_metrics}
    for m_i, metric in enumerate(t.metrics):
        for fname, kind in _METRIC_REFS.items():
            check([*base, "metrics", m_i, fname], getattr(metric, fname), kind)
        if metric.source is not None:
            check(
                [*base, "metrics", m_i, "source", "collected_by"],
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
                    [*base, "metrics", m_i, "baseline", "weeks"],
                    f"found {metric.baseline.weeks} weeks, expected fewer than the tactic's "
                    f"{t.duration_weeks} (the baseline is taken in its first weeks)",
                )
            )
        if metric.readings_from_week is not None and metric.readings_from_week >= t.duration_weeks:
            problems.append(
                doc.problem_at(
                    [*base, "metrics", m_i, "readings_from_week"],
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
                            [*base, "metrics", m_i, fname],
                            f"found {short(getattr(metric, fname))}, expected "
                            f"'{getattr(reserved, fname)}': '{metric.id}' is a reserved "
                            "community-health metric",
                        )
                    )
        if reserved is not None and metric.denominator_metric != reserved.denominator_metric:
            problems.append(
                doc.problem_at(
                    [*base, "metrics", m_i],
                    f"found denominator_metric {short(metric.denominator_metric)}, expected "
                    f"{short(reserved.denominator_metric)}: '{metric.id}' is a reserved "
                    "community-health metric",
                    field=dotted([*base, "metrics", m_i, "denominator_metric"]),
                )
            )
        problems.extend(_share_problems(doc, [*base, "metrics", m_i], t, metric, health))
        problems.extend(_target_problems(doc, [*base, "metrics", m_i], t, metric))
        if metric.id == "questions-answered-in-time" and metric.response_hours is None:
            problems.append(
                doc.problem_at(
                    [*base, "metrics", m_i],
                    "missing 'response_hours': questions-answered-in-time must name its "
                    "response-time target in hours",
                    field=dotted([*base, "metrics", m_i, "response_hours"]),
                )
            )
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


def load_library(
    folders: Sequence[Path],
    *,
    builtin_taxonomy: Path | None = None,
) -> Library:
    """Load folders (or single files) in order: later ones override earlier ones by tactic id."""
    tax_path = builtin_taxonomy or BUILTIN_DIR / TAXONOMY_FILE
    taxonomy, problems = load_taxonomy(tax_path)
    files_read: list[str] = []
    chosen: dict[str, _Parsed] = {}
    overrides: list[Override] = []
    for folder in folders:
        if not folder.exists():
            problems.append(Problem(str(folder), "playbook folder or file does not exist"))
            continue
        if folder.is_dir():
            extra_tax = folder / TAXONOMY_FILE
            if extra_tax.exists() and extra_tax.resolve() != tax_path.resolve():
                more, tax_problems = load_taxonomy(extra_tax)
                problems.extend(tax_problems)
                taxonomy = taxonomy.merged(more)
            files = playbook_files(folder)
        elif folder.name == TAXONOMY_FILE:
            more, tax_problems = load_taxonomy(folder)
            problems.extend(tax_problems)
            taxonomy = taxonomy.merged(more)
            continue
        else:
            files = [folder]
        in_this_folder: dict[str, _Parsed] = {}
        for path in files:
            files_read.append(_display(path))
            parsed, file_problems = _parse_file(path)
            problems.extend(file_problems)
            for item in parsed:
                tid = item.tactic.id
                if tid in in_this_folder:
                    first = in_this_folder[tid].source
                    problems.append(
                        item.doc.problem_at(
                            ["tactics", item.index, "id"],
                            f"duplicate tactic id '{tid}'; already defined at "
                            f"{first.path}:{first.line} (ids must be unique within a folder)",
                        )
                    )
                    continue
                in_this_folder[tid] = item
        for tid, item in in_this_folder.items():
            if tid in chosen:
                overrides.append(Override(tid, chosen[tid].source, item.source))
            chosen[tid] = item

    valid: dict[str, _Parsed] = {}
    for tid, item in chosen.items():
        ref_problems = _check_references(item, taxonomy)
        problems.extend(ref_problems)
        if not ref_problems:
            valid[tid] = item

    # Prerequisites: missing ones first, then cycles among those that remain.
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
                problems.append(
                    item.doc.problem_at(["tactics", item.index, "prerequisites", j], why)
                )
                del valid[tid]
                changed = True
                break
    graph = {tid: list(item.tactic.prerequisites) for tid, item in valid.items()}
    for cycle in _find_cycles(graph):
        head = valid[cycle[0]]
        j = head.tactic.prerequisites.index(cycle[1])
        problems.append(
            head.doc.problem_at(
                ["tactics", head.index, "prerequisites", j],
                "prerequisites form a cycle: " + " -> ".join(cycle),
            )
        )
        for tid in cycle:
            valid.pop(tid, None)

    library = Library(taxonomy=taxonomy, overrides=overrides, problems=problems, files=files_read)
    for tid, item in valid.items():
        library.tactics[tid] = item.tactic
        library.sources[tid] = item.source
    return library


def default_folders() -> list[Path]:
    """What the dashboard loads: the built-in playbooks, then PLANNER_PLAYBOOKS in order."""
    return [BUILTIN_DIR, *env_folders()]


def load_default_library() -> Library:
    return load_library(default_folders())


def category_titles(folders: Sequence[Path] | None = None) -> dict[str, str]:
    """Category id -> its title, from the built-in taxonomy and the folders' own taxonomy
    files (default: `default_folders()`); read once per set of folders, as files change
    rarely and every export asks."""
    chosen = default_folders() if folders is None else list(folders)
    return dict(_category_titles(tuple(str(f) for f in chosen)))


@functools.lru_cache(maxsize=8)
def _category_titles(folders: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    tax_path = BUILTIN_DIR / TAXONOMY_FILE
    taxonomy, _ = load_taxonomy(tax_path)
    for name in folders:
        folder = Path(name)
        extra = folder / TAXONOMY_FILE if folder.is_dir() else folder
        if extra.name == TAXONOMY_FILE and extra.exists() and extra.resolve() != tax_path.resolve():
            taxonomy = taxonomy.merged(load_taxonomy(extra)[0])
    return tuple((e.id, str(e.title)) for e in taxonomy.categories)


def playbook_json_schema() -> dict[str, Any]:
    schema = PlaybookFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Informal Learning Planner playbook"
    return schema


def taxonomy_json_schema() -> dict[str, Any]:
    schema = Taxonomy.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Informal Learning Planner taxonomy"
    return schema


_BASELINE_WORDS = {
    "value": "baseline {value:,g}",
    "zero": "baseline 0 (nothing exists before the tactic)",
    "before-start": "baseline read once before the first step",
    "first-weeks": "baseline from the first {weeks} weeks",
}


def metric_provenance(metric: Metric, taxonomy: Taxonomy) -> str:
    """One line saying where a metric's number comes from, who collects it and when, what it
    starts from and what a rate is out of; empty when the playbook says none of these."""
    parts: list[str] = []
    if metric.source is not None:
        who = taxonomy.title("owner_roles", metric.source.collected_by)
        parts.append(
            f"from {metric.source.name} ({metric.source.kind}; {who}, {metric.source.when})"
        )
    if metric.baseline is not None:
        words = _BASELINE_WORDS[metric.baseline.rule].format(
            value=metric.baseline.value or 0.0, weeks=metric.baseline.weeks
        )
        if metric.baseline.rule == "before-start" and metric.baseline.value is not None:
            words += f" ({metric.baseline.value:,g})"
        parts.append(words + (f": {metric.baseline.note}" if metric.baseline.note else ""))
    if metric.denominator:
        parts.append(f"out of {metric.denominator}")
    return "; ".join(parts)


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
