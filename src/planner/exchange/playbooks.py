"""Playbook folders -> a validated Library, with every problem located by file, line and column.

Loading: reading the YAML files, their schema, folder overrides and taxonomy files. The checks
across a tactic's fields and across files (taxonomy ids, weeks, reserved metrics, share and
target rules, prerequisites, tags served by steps) are in `planner.exchange.playbook_checks`;
its public names are re-exported here.
"""

from __future__ import annotations

import difflib
import functools
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from planner.domain.library import Library, Override, Source
from planner.domain.playbook import (
    Metric,
    PlaybookFile,
    Tactic,
    Taxonomy,
)
from planner.exchange.playbook_checks import prerequisite_problems, reference_problems
from planner.exchange.playbook_checks import speaks_of as speaks_of
from planner.exchange.playbook_checks import unserved_tags as unserved_tags
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
    beside_source = Path(__file__).resolve().parents[3] / "playbooks"
    if beside_source.is_dir():
        return beside_source
    return Path.cwd() / "playbooks"


BUILTIN_DIR = _builtin_dir()
TAXONOMY_FILE = "taxonomy.yaml"
ENV_VAR = "PLANNER_PLAYBOOKS"

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
        ref_problems = reference_problems(item, taxonomy)
        problems.extend(ref_problems)
        if not ref_problems:
            valid[tid] = item

    problems.extend(prerequisite_problems(valid, chosen))

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
