"""xAPI mapping rules: which statements feed which plan item and metric, read from YAML.

A mapping file lists rules. A rule matches a statement by its verb, the id of the activity it is
about (exact, or a pattern where `*` stands for any text, such as
`https://community.example.org/spaces/troubleshooting/*`) and/or that activity's type; it names
the plan item (or the tactic, when the plan has exactly one item for it), the metric, and whether
the metric counts statements or distinct people per period.

Every matching rule applies, so one statement can feed a "questions" metric and an
"active-members" metric at once; a statement feeds each item and metric at most once, however
many of its rules match. Rules are resolved against the plan's items when the file is loaded, so
a rule that names an unknown item, an ambiguous tactic or a metric the item does not have is
refused up front with the file, line and what to write instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from planner.domain.limits import FILE_LIMITS, MAX_PATTERN_CHARS
from planner.domain.planning import PlanItem
from planner.errors import PlannerError
from planner.exchange.xapi_matching import Mapping as Mapping
from planner.exchange.xapi_matching import Target as Target
from planner.exchange.yamlsource import Document, Problem, RefusedFile, parse_yaml, read_yaml

MAX_MAPPING_BYTES = FILE_LIMITS["mapping"]
"""A mapping is a page of rules; anything over 1 MB is refused before it is parsed."""


def _sample_path() -> Path:
    """mappings/ beside src/ in a checkout; else the working directory's (an installed copy)."""
    beside_source = Path(__file__).resolve().parents[3] / "mappings"
    folder = beside_source if beside_source.is_dir() else Path.cwd() / "mappings"
    return folder / "xapi-sample.yaml"


SAMPLE_MAPPING = _sample_path()
"""The mapping that applies when the user gives none; it fits the sample plan."""

IRI_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20\x7f<>\"{}|\\^`]+\Z")
"""An absolute IRI (RFC 3987): a scheme, a colon, then no space, control character or one of
<>"{}|\\^` (characters beyond ASCII are allowed, as in IRIs)."""


def is_iri(value: object) -> bool:
    """An absolute IRI: a scheme, a colon and no white space (xAPI's test for ids)."""
    return isinstance(value, str) and IRI_PATTERN.match(value) is not None


class MappingError(PlannerError):
    """A mapping file that cannot be used; the message lists every problem with file and line."""

    def __init__(self, problems: Sequence[Problem | str]) -> None:
        self.problems = [str(p) for p in problems]
        super().__init__("\n".join(self.problems))


# --- the file's schema --------------------------------------------------------------------------

Text = Annotated[str, Field(min_length=1)]


class Rule(BaseModel):
    """One rule as written in the file."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field("", description="A label for reports, e.g. 'Questions in the community'.")
    verb: Text | list[Text] | None = Field(None, description="A verb IRI, or a list of them.")
    activity: Text | None = Field(
        None, description="The activity id, or a pattern on it where * matches any text."
    )
    activity_type: Text | None = Field(None, description="The activity's definition.type IRI.")
    item: Text | None = Field(None, description="The plan item's id.")
    tactic: Text | None = Field(
        None, description="The tactic id, when the plan has exactly one item for that tactic."
    )
    metric: Text = Field(description="The id of one of the item's metrics.")
    count: Literal["statements", "people"] = Field(
        description="statements: count the statements; people: count distinct people per period."
    )

    @field_validator("verb")
    @classmethod
    def _verbs_are_iris(cls, value: str | list[str] | None) -> str | list[str] | None:
        if value == []:
            raise ValueError("lists no verb; list at least one, or leave verb out to match any")
        for verb in [value] if isinstance(value, str) else value or []:
            if not is_iri(verb):
                raise ValueError(
                    f"{verb!r} is not a verb IRI; write the full id, e.g. "
                    "http://adlnet.gov/expapi/verbs/asked"
                )
        return value

    @field_validator("activity")
    @classmethod
    def _activity_is_an_iri_pattern(cls, value: str | None) -> str | None:
        if value is not None and len(value) > MAX_PATTERN_CHARS:
            raise ValueError(
                f"is {len(value):,} characters long; an activity id or pattern may have at most "
                f"{MAX_PATTERN_CHARS:,}"
            )
        if value is not None and not is_iri(value.replace("*", "x")):
            raise ValueError(
                f"{value!r} is not an activity id or pattern; write a full IRI, with * for any "
                "text, e.g. https://community.example.org/spaces/troubleshooting/*"
            )
        return value

    @field_validator("activity_type")
    @classmethod
    def _type_is_an_iri(cls, value: str | None) -> str | None:
        if value is not None and not is_iri(value):
            raise ValueError(f"{value!r} is not an activity type IRI")
        return value

    @property
    def verbs(self) -> list[str]:
        return [self.verb] if isinstance(self.verb, str) else list(self.verb or [])


class MappingFile(BaseModel):
    """A mapping file: a list of rules."""

    model_config = ConfigDict(extra="forbid")

    description: str = ""
    rules: list[Rule] = Field(min_length=1)


# --- loading -------------------------------------------------------------------------------------


def load_mapping(
    source: Path | str | bytes, items: Sequence[PlanItem], *, name: str | None = None
) -> Mapping:
    """Read, check and resolve a mapping file against the plan's items.

    `source` is a path, or the file's content as bytes (an upload; `name` names it in messages).
    Raises MappingError listing every problem, each with file, line and what to write instead.
    """
    doc = _read(source, name)
    if doc.problems:
        raise MappingError(doc.problems)
    if doc.data is None:
        raise MappingError([f"{doc.path}: is empty; list the mapping's rules under 'rules:'"])
    try:
        parsed = MappingFile.model_validate(doc.data)
    except ValidationError as exc:
        raise MappingError(_problems(doc, exc)) from None
    problems: list[Problem] = []
    resolved: list[tuple[int, Rule, Target]] = []
    for index, rule in enumerate(parsed.rules):
        target = _resolve(doc, index, rule, items, problems)
        if target is not None:
            resolved.append((index, rule, target))
    problems.extend(_mixed_counts(doc, resolved))
    if problems:
        raise MappingError(problems)
    return Mapping([(rule, target) for _, rule, target in resolved], source=doc.path)


def _read(source: Path | str | bytes, name: str | None) -> Document:
    try:
        if isinstance(source, bytes):
            display = name or "mapping"
            if len(source) > MAX_MAPPING_BYTES:
                raise MappingError(
                    [f"{display}: refused: over 1 MB; a mapping is a short list of rules"]
                )
            try:
                text = source.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise MappingError([f"{display}: is not UTF-8 text; save it as UTF-8"]) from None
            return parse_yaml(text, display)
        return read_yaml(Path(source), name)
    except RefusedFile as exc:
        raise MappingError([exc.problem]) from None


def _problems(doc: Document, exc: ValidationError) -> list[Problem]:
    """pydantic's errors as file:line problems, one per field (a union reports each branch)."""
    found: dict[tuple[str | int, ...], Problem] = {}
    for err in exc.errors():
        # Drop the names pydantic gives union branches ('constrained-str', 'list[...]').
        loc = tuple(
            part
            for part in err["loc"]
            if not (isinstance(part, str) and ("[" in part or part.startswith("constrained")))
        )
        if loc not in found:
            found[loc] = _problem(doc, list(loc), err)
    return list(found.values())


def _problem(doc: Document, loc: list[str | int], err: Any) -> Problem:
    kind = err["type"]
    message = err["msg"].removeprefix("Value error, ")
    if kind == "extra_forbidden":
        allowed = ", ".join(Rule.model_fields) if "rules" in loc else "description, rules"
        return doc.problem_at(loc, f"is not a mapping field; the fields are {allowed}", at_key=True)
    if kind == "missing":
        message = "is missing"
        if loc[-1:] == ["count"]:
            message += " (write count: statements or count: people)"
    elif kind in ("model_type", "dict_type"):
        message = (
            "must be a mapping with a list of rules under 'rules:'"
            if not loc
            else "must be a mapping of fields: verb, activity or activity_type; item or tactic; "
            "metric; count"
        )
    elif loc[-1:] == ["verb"] and kind != "value_error":
        message = "must be a verb IRI or a list of verb IRIs"
    elif loc == ["rules"] and kind == "list_type":
        message = "must be a list of rules, each starting with '- '"
    return doc.problem_at(loc, message)


def _resolve(
    doc: Document, index: int, rule: Rule, items: Sequence[PlanItem], problems: list[Problem]
) -> Target | None:
    where: list[str | int] = ["rules", index]
    if rule.verb is None and rule.activity is None and rule.activity_type is None:
        problems.append(
            doc.problem_at(
                where,
                "matches every statement; give it a verb, an activity or an activity_type",
            )
        )
        return None
    if (rule.item is None) == (rule.tactic is None):
        problems.append(
            doc.problem_at(
                where,
                "needs either item: (a plan item id) or tactic: (a tactic id), not both or neither",
            )
        )
        return None
    item = _find_item(doc, where, rule, items, problems)
    if item is None:
        return None
    metric = next((m for m in item.metrics if m.id == rule.metric), None)
    if metric is None:
        listed = ", ".join(m.id for m in item.metrics) or "none"
        problems.append(
            doc.problem_at(
                [*where, "metric"],
                f"item {item.id} ('{item.title}') has no metric '{rule.metric}'; its metrics: "
                f"{listed}",
            )
        )
        return None
    return Target(item.id, metric.id, metric.cadence, rule.count == "people")


def _find_item(
    doc: Document,
    where: list[str | int],
    rule: Rule,
    items: Sequence[PlanItem],
    problems: list[Problem],
) -> PlanItem | None:
    if rule.item is not None:
        found = next((i for i in items if i.id == rule.item), None)
        if found is None:
            problems.append(
                doc.problem_at(
                    [*where, "item"],
                    f"the plan has no item '{rule.item}'; the review CSV (`planner export "
                    "PLAN`) lists the item ids in its first column",
                )
            )
        return found
    matching = [i for i in items if i.tactic_id == rule.tactic]
    if len(matching) == 1:
        return matching[0]
    if not matching:
        problems.append(
            doc.problem_at(
                [*where, "tactic"],
                f"the plan has no item for tactic '{rule.tactic}'; add the tactic to the plan "
                "or point the rule at an item with item:",
            )
        )
    else:
        listed = "; ".join(f"{i.id} ('{i.title}', {i.team or 'no team'})" for i in matching)
        problems.append(
            doc.problem_at(
                [*where, "tactic"],
                f"refused: the plan has {len(matching)} items for tactic '{rule.tactic}', so "
                f"the rule must say which one; write item: with one of their ids: {listed}",
            )
        )
    return None


def _mixed_counts(doc: Document, resolved: list[tuple[int, Rule, Target]]) -> list[Problem]:
    """A metric counted as statements by one rule and as people by another mixes two units."""
    first: dict[tuple[str, str], tuple[int, Target]] = {}
    problems: list[Problem] = []
    for index, _rule, target in resolved:
        key = (target.item_id, target.metric_id)
        if key not in first:
            first[key] = (index, target)
        elif first[key][1].count_people != target.count_people:
            earlier = first[key][0]
            problems.append(
                doc.problem_at(
                    ["rules", index, "count"],
                    f"metric '{target.metric_id}' of item {target.item_id} is already counted "
                    f"as {'people' if first[key][1].count_people else 'statements'} by rule "
                    f"{earlier + 1}; a metric is counted one way",
                )
            )
    return problems


__all__ = [
    "IRI_PATTERN",
    "SAMPLE_MAPPING",
    "Mapping",
    "MappingError",
    "MappingFile",
    "Rule",
    "Target",
    "is_iri",
    "load_mapping",
]
