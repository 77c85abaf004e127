"""A parsed bundle's references and rules, checked whole, and the records it holds.

Once the structure has parsed (`planner.exchange.bundle_model`), this checks what pydantic
cannot see: ids unique within the bundle, owners, lead, snapshots, targets, the items of readings
and stories, action owners and the reviews that created or closed them, the plan rules, and the
readings' rules (a metric of the item, a period of the metric's cadence containing the date, one
reading per item, metric and period), and the channel mapping's (`domain.channel_mapping`).
Every problem is collected with its JSON path; the caller refuses the file listing them. Pure:
may import the domain only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from planner.domain.channel_mapping import mapping_rows
from planner.domain.periods import filing_cadence, parse_period
from planner.domain.planning import InvalidInputError, Person, Plan, PlanItem, Target
from planner.domain.readings import ReadingKey, metric_for
from planner.domain.stories import Story
from planner.exchange.bundle_model import (
    Bundle,
    BundleAction,
    BundleActivity,
    BundleItem,
    BundleReading,
    BundleReview,
)

Problem = Callable[[str, str], None]
"""Records one problem: (JSON path, what is wrong)."""


@dataclass(frozen=True)
class ParsedBundle:
    """A checked bundle: the records ready to write, the log oldest first."""

    plan: Plan
    people: list[Person]
    items: list[PlanItem]
    activity: list[BundleActivity]
    readings: list[BundleReading] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    reviews: list[BundleReview] = field(default_factory=list)
    actions: list[BundleAction] = field(default_factory=list)
    channel_mapping: list[tuple[str, str, str]] = field(default_factory=list)
    """The saved channel mapping's rows: (channel key, name as written, item id)."""


def bundle_records(bundle: Bundle) -> tuple[ParsedBundle | None, list[str]]:
    """The bundle's records, or None and every problem found ("path: message")."""
    problems: list[str] = []

    def problem(path: str, message: str) -> None:
        problems.append(f"{path}: {message}")

    people, person_ids = _people(bundle, problem)
    plan = _plan(bundle, person_ids, problem)
    items, item_ids = _items(bundle, person_ids, problem)
    _readings(bundle, item_ids, {item.id: item for item in items}, problem)
    stories = _stories(bundle, item_ids, problem)
    review_ids = _reviews(bundle, problem)
    _actions(bundle, person_ids, review_ids, problem)
    channels = _channel_mapping(bundle, item_ids, problem)
    for n, entry in enumerate(bundle.activity):
        if entry.version is not None and entry.version > bundle.plan.version:
            problem(
                f"activity[{n}].version",
                f"{entry.version} is later than the plan's version {bundle.plan.version}",
            )
    if problems or plan is None:
        return None, problems
    parsed = ParsedBundle(
        plan,
        people,
        items,
        list(bundle.activity),
        list(bundle.readings),
        stories,
        list(bundle.reviews),
        list(bundle.actions),
        channels,
    )
    return parsed, []


def _people(bundle: Bundle, problem: Problem) -> tuple[list[Person], set[str]]:
    person_ids: set[str] = set()
    emails: dict[str, int] = {}
    people: list[Person] = []
    for n, p in enumerate(bundle.people):
        if p.id in person_ids:
            problem(f"people[{n}].id", f"'{p.id}' appears twice")
        person_ids.add(p.id)
        try:
            person = Person(**p.model_dump())
        except InvalidInputError as exc:
            problem(f"people[{n}]", str(exc))
            continue
        if person.email is not None:
            if person.email in emails:
                problem(
                    f"people[{n}].email",
                    f"'{person.email}' is also the email of people[{emails[person.email]}]",
                )
            emails[person.email] = n
        people.append(person)
    return people, person_ids


def _plan(bundle: Bundle, person_ids: set[str], problem: Problem) -> Plan | None:
    if bundle.plan.lead_id is not None and bundle.plan.lead_id not in person_ids:
        problem("plan.lead_id", f"no person '{bundle.plan.lead_id}' in people")
    try:
        return Plan(**bundle.plan.model_dump())
    except InvalidInputError as exc:
        problem("plan", str(exc))
        return None


def _items(
    bundle: Bundle, person_ids: set[str], problem: Problem
) -> tuple[list[PlanItem], set[str]]:
    item_ids: set[str] = set()
    items: list[PlanItem] = []
    for n, b in enumerate(bundle.items):
        where = f"items[{n}]"
        if b.id in item_ids:
            problem(f"{where}.id", f"'{b.id}' appears twice")
        item_ids.add(b.id)
        if b.owner_id is not None and b.owner_id not in person_ids:
            problem(f"{where}.owner_id", f"no person '{b.owner_id}' in people")
        item = _item(bundle, b, where, problem)
        if item is not None:
            items.append(item)
    return items, item_ids


def _item(bundle: Bundle, b: BundleItem, where: str, problem: Problem) -> PlanItem | None:
    snapshot = None
    if b.tactic_snapshot is not None:
        snapshot = bundle.tactic_snapshots.get(b.tactic_snapshot)
        if snapshot is None:
            problem(
                f"{where}.tactic_snapshot",
                f"no snapshot '{b.tactic_snapshot}' in tactic_snapshots",
            )
            return None
    if (b.tactic_id is None) != (snapshot is None):
        problem(where, "an item following a tactic needs both tactic_id and tactic_snapshot")
        return None
    try:
        return PlanItem(
            id=b.id,
            plan_id=bundle.plan.id,
            position=b.position,
            title=b.title,
            tactic_id=b.tactic_id,
            snapshot=snapshot,
            custom_metrics=list(b.custom_metrics),
            owner_id=b.owner_id,
            audience=b.audience,
            team=b.team,
            pinned_start=b.pinned_start,
            duration_weeks=b.duration_weeks,
            status=b.status,
            cop_stage=b.cop_stage,
            notes=b.notes,
            effort_hours_per_week=b.effort_hours_per_week,
            targets=[Target(**t.model_dump()) for t in b.targets],
        )
    except InvalidInputError as exc:
        problem(where, str(exc))
        return None


def _readings(
    bundle: Bundle, item_ids: set[str], built: Mapping[str, PlanItem], problem: Problem
) -> None:
    for n, reading in enumerate(bundle.readings):
        found = _reading_problem(reading, item_ids, built)
        if found is not None:
            problem(f"readings[{n}]{found[0]}", found[1])
    first: dict[ReadingKey, int] = {}
    for n, reading in enumerate(bundle.readings):
        key = (reading.item_id, reading.metric_id, reading.period)
        if key in first:
            problem(
                f"readings[{n}]",
                f"item '{key[0]}', metric '{key[1]}', period {key[2]} already has a reading "
                f"(readings[{first[key]}]); a period holds one reading",
            )
        first.setdefault(key, n)


def _reading_problem(
    reading: BundleReading, item_ids: set[str], items: Mapping[str, PlanItem]
) -> tuple[str, str] | None:
    """(the path below the reading, what is wrong) for a reading that does not fit its item."""
    if reading.item_id not in item_ids:
        return ".item_id", f"no item '{reading.item_id}' in items"
    item = items.get(reading.item_id)
    if item is None:
        return None  # the item has problems of its own, reported above
    # A reading may outlive its metric (a custom metric edited, a tactic refreshed, a stage
    # cleared): the database keeps it, so a backup restores it too, unchecked against a cadence.
    metric = metric_for(item, reading.metric_id)
    try:
        cadence, period = parse_period(reading.period)
    except InvalidInputError as exc:
        return ".period", str(exc)
    if reading.period != period.key:
        return ".period", f"'{reading.period}' is not a period key; write it as {period.key}"
    if metric is not None and cadence != filing_cadence(metric.cadence):
        return ".period", (
            f"{reading.period} is a {cadence} period, but metric '{metric.id}' of item "
            f"'{item.id}' is measured {metric.cadence}"
        )
    if reading.date not in period:
        return ".date", (
            f"{reading.date.isoformat()} is not in the period {period.key} "
            f"({period.start.isoformat()} to {period.end.isoformat()})"
        )
    if reading.period_start != period.start:
        return ".period_start", (
            f"{period.key} starts on {period.start.isoformat()}, "
            f"not {reading.period_start.isoformat()}"
        )
    return None


def _stories(bundle: Bundle, item_ids: set[str], problem: Problem) -> list[Story]:
    story_ids: set[str] = set()
    stories: list[Story] = []
    for n, s in enumerate(bundle.stories):
        if s.id in story_ids:
            problem(f"stories[{n}].id", f"'{s.id}' appears twice")
        story_ids.add(s.id)
        if s.item_id not in item_ids:
            problem(f"stories[{n}].item_id", f"no item '{s.item_id}' in items")
        stories.append(Story(**s.model_dump()))
    return stories


def _channel_mapping(
    bundle: Bundle, item_ids: set[str], problem: Problem
) -> list[tuple[str, str, str]]:
    def at(n: int, message: str) -> None:
        problem("channel_mapping" if n < 0 else f"channel_mapping[{n}]", message)

    return mapping_rows(((c.name, c.item_id) for c in bundle.channel_mapping), item_ids, at)


def _reviews(bundle: Bundle, problem: Problem) -> set[str]:
    review_ids: set[str] = set()
    decision_ids: set[str] = set()
    for n, r in enumerate(bundle.reviews):
        if r.id in review_ids:
            problem(f"reviews[{n}].id", f"'{r.id}' appears twice")
        review_ids.add(r.id)
        for k, d in enumerate(r.decisions):
            if d.id in decision_ids:
                problem(f"reviews[{n}].decisions[{k}].id", f"'{d.id}' appears twice")
            decision_ids.add(d.id)
    return review_ids


def _actions(bundle: Bundle, person_ids: set[str], review_ids: set[str], problem: Problem) -> None:
    action_ids: set[str] = set()
    for n, a in enumerate(bundle.actions):
        where = f"actions[{n}]"
        if a.id in action_ids:
            problem(f"{where}.id", f"'{a.id}' appears twice")
        action_ids.add(a.id)
        if a.owner_id is not None and a.owner_id not in person_ids:
            problem(f"{where}.owner_id", f"no person '{a.owner_id}' in people")
        for link in ("created_in_review", "closed_in_review"):
            review = getattr(a, link)
            if review is not None and review not in review_ids:
                problem(f"{where}.{link}", f"no review '{review}' in reviews")
        if a.status == "open" and a.closed_in_review is not None:
            problem(f"{where}.closed_in_review", "an open action item is not closed")
