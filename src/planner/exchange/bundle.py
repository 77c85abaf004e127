"""Plan bundles: one JSON file with everything about a plan, for backup, restore and moving.

Layout (format version 3), every record referring to others by stable ids:

    {
      "format": "informal-learning-planner/bundle",
      "version": 3,
      "plan": {id, name, description, lead_id, start_date, review_cadence, status, version,
               at_risk_threshold, off_track_threshold},
      "people": [{id, name, email, role, team, capacity_hours_per_week}, ...],
      "items": [{id, position, title, tactic_id, tactic_snapshot, custom_metrics, owner_id,
                 audience, team, pinned_start, duration_weeks, status, cop_stage, notes,
                 [effort_hours_per_week,] targets: [{metric_id, value, due_date, baseline}]},
                ...],
      "tactic_snapshots": {"<content hash>": {the tactic as it was when added}, ...},
      "readings": [{item_id, metric_id, period, period_start, date, value, source, note,
                    recorded_by, recorded_at}, ...],
      "stories": [{id, item_id, date, author, title, text, value_cycle, recorded_by,
                   recorded_at}, ...],
      "reviews": [{id, date, attendees, notes, snapshot, recorded_by, recorded_at,
                   decisions: [{id, text}, ...]}, ...],
      "actions": [{id, text, owner_id, owner_name, due, status, created_in_review,
                   closed_in_review, created_at, created_by, updated_at, updated_by}, ...],
      "activity": [{at, actor, action, entity, entity_id, summary, before, after, version}, ...]
    }

`people` holds the plan's lead, item owners and action item owners, by id; `items` are in plan
order; the tactic snapshots are shared by the items that follow the same version of a tactic,
so a bundle restores without the playbook; `readings` are every reading of the plan's items,
by item (plan order), metric and period; `stories` by date, then id; `reviews` by date, when
recorded, then id (each with its decisions in the order taken and its frozen snapshot as
stored); `actions` (the plan's action items) by when created, then id; `activity` is the
plan's log, oldest first. Keys
are sorted, indented by 2, UTF-8 (not escaped) with a final newline, so the same plan gives the
same bytes. The plan's `updated_at`/`updated_by` are not in the bundle: they are the log's last
entry, and a reading's database number is not either (it differs from one database to another).

A bundle is a confidential backup: readings keep their numbers, small groups included (reports
people read show them as "< 5"; `planner.services.privacy`). What is NOT in a bundle, on purpose:
- the pseudonymised xAPI actors (`xapi_people`: keyed hashes per item, metric and period),
- the ids of the xAPI statements already imported (`xapi_statements`),
- the opt-out list (`opt_outs`),
- the pseudonym key itself.
Readings computed from xAPI travel as plain numbers. So, in a restored plan, statements imported
before the export are not recognised as seen (importing the same file again counts it again),
and a distinct-people period that a later xAPI import touches counts that import's people only.
Keep the xAPI files and import them with --replace when a period has to be recomputed.

Version 1 bundles (made before readings and stories existed: `readings` empty, no `stories`)
and version 2 bundles (before review meetings: `reviews` empty, no `actions`) still import; a
bundle from a newer format version is refused.

Importing (one transaction; on any problem nothing is written):
- the bundle is checked whole first: JSON, structure (pydantic), then references (owners, lead,
  snapshots, targets, the items of readings and stories, action owners, the reviews that
  created or closed an action item), the plan rules and the readings'
  rules (a metric of the item, a period of the metric's cadence containing the date, one
  reading per item, metric and period); every problem is reported with its JSON path;
- a bundle from a newer format version is refused with a request to upgrade the planner;
- people are matched by id, then by email (ignoring case), and created only when missing;
- when the plan id (or an item or story id) already exists here, the bundle becomes a copy:
  new plan, item, story, review, decision and action item ids, " (copy)" after its name,
  status draft, version 1, and no history but the import (like `services.copy_plan`); its
  readings, stories, reviews (their snapshots too) and action items follow to the new ids.
  Otherwise the plan is restored as it was, with its version, its readings, stories, reviews
  and action items (who recorded them and when) and its activity log;
- the import itself is recorded in the plan's activity log (action "import").

Export, import into an empty database, export again: the same bytes apart from `activity`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError

from planner.domain.access import Permission, require
from planner.domain.limits import check_size, day_problem, json_depth_problem
from planner.domain.periods import filing_cadence, parse_period
from planner.domain.planning import (
    ITEM_STATUSES,
    MAX_DURATION_WEEKS,
    MAX_EFFORT_HOURS,
    PLAN_STATUSES,
    REVIEW_CADENCES,
    ActivityEntry,
    InvalidInputError,
    Person,
    Plan,
    PlanItem,
    Target,
    jsonable,
    new_id,
    utc_now,
)
from planner.domain.playbook import Metric, Tactic
from planner.domain.readings import ReadingKey
from planner.errors import ConflictError, ImportFormatError
from planner.store import (
    ACTION_ITEMS,
    ITEMS,
    PLANS,
    READING_SOURCES,
    REVIEW_DECISIONS,
    REVIEWS,
    STORIES,
    ActionItemRecord,
    NewActivity,
    Reading,
    Repository,
    ReviewRecord,
    ReviewRepository,
    Story,
    snapshot_hash,
    uow,
)

FORMAT = "informal-learning-planner/bundle"
FORMAT_VERSION = 3
FIRST_FORMAT_VERSION = 1
"""Version 1: before readings and stories (its `readings` are empty; it has no `stories`)."""
REVIEWS_FORMAT_VERSION = 3
"""Reviews and action items came with version 3 (before: `reviews` empty, no `actions`)."""
ACTION_STATUSES = ("open", "done", "dropped")  # planner.services.reviews.ACTION_STATUSES
_SNAPSHOT_KEYS = ("as_of", "adoption_index", "rows", "items")
_NUL_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\u0000")
"""JSON's escape for NUL: `\\u0000` after an even number of backslashes (after an odd number,
the backslash is itself escaped and the text holds a backslash, then `u0000`)."""
COPY_SUFFIX = " (copy)"
MAX_PROBLEMS_SHOWN = 12
MAX_NAME = 200  # the plans.name and people.name columns

# --- the bundle's structure -------------------------------------------------------------------


def _one_of(allowed: Sequence[str]) -> AfterValidator:
    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"must be one of {', '.join(allowed)}")
        return value

    return AfterValidator(check)


def _value_cycle(value: str) -> str:
    # services.stories imports services.readings, which imports this package: look up late.
    from planner.domain.stories import VALUE_CYCLES

    if value not in VALUE_CYCLES:
        raise ValueError(f"must be one of {', '.join(VALUE_CYCLES)}")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


def _snapshot(value: dict[str, Any]) -> dict[str, Any]:
    missing = [k for k in _SNAPSHOT_KEYS if k not in value]
    if missing:
        raise ValueError(f"a review snapshot needs {', '.join(missing)}")
    if not isinstance(value["rows"], list) or not isinstance(value["items"], list):
        raise ValueError("a review snapshot's rows and items are lists")
    return value


def _in_years(value: Any) -> Any:
    day = value.date() if isinstance(value, datetime) else value
    if (problem := day_problem(day)) is not None:
        raise ValueError(problem)
    return value


Day = Annotated[dt.date, AfterValidator(_in_years)]
Moment = Annotated[AwareDatetime, AfterValidator(_in_years)]
StableId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{1,32}$")]
Name = Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME)]
Short = Annotated[str, StringConstraints(max_length=200)]
MetricId = Annotated[str, StringConstraints(min_length=1, max_length=80)]


class _Record(BaseModel):
    # Strict on JSON: numbers stay numbers, dates are ISO strings, unknown fields are errors.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class BundlePlan(_Record):
    id: StableId
    name: Name
    description: str = ""
    lead_id: StableId | None = None
    start_date: Day
    review_cadence: Annotated[str, _one_of(REVIEW_CADENCES)] = "monthly"
    status: Annotated[str, _one_of(PLAN_STATUSES)] = "draft"
    version: int = Field(default=1, ge=1)
    at_risk_threshold: float = 0.9
    off_track_threshold: float = 0.7


class BundlePerson(_Record):
    id: StableId
    name: Name
    email: Annotated[str, StringConstraints(max_length=320)] | None = None
    role: Short = ""
    team: Short = ""
    capacity_hours_per_week: float = Field(default=4.0, ge=0, le=168)


class BundleTarget(_Record):
    metric_id: MetricId
    value: float
    due_date: Day | None = None
    baseline: float | None = None


class BundleItem(_Record):
    id: StableId
    position: int = 0
    title: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    tactic_id: Annotated[str, StringConstraints(max_length=80)] | None = None
    tactic_snapshot: str | None = None
    custom_metrics: list[Metric] = []
    owner_id: StableId | None = None
    audience: Short = ""
    team: Short = ""
    pinned_start: Day | None = None
    duration_weeks: int = Field(ge=1, le=MAX_DURATION_WEEKS)
    status: Annotated[str, _one_of(ITEM_STATUSES)] = "planned"
    cop_stage: Annotated[str, StringConstraints(max_length=80)] | None = None
    notes: str = ""
    effort_hours_per_week: float | None = Field(default=None, ge=0, le=MAX_EFFORT_HOURS)
    """Written only when the item has its own figure, so bundles of items that follow their
    tactic's effort stay byte for byte what they were; older bundles import unchanged."""
    targets: list[BundleTarget] = []


class BundleActivity(_Record):
    at: Moment
    actor: Short
    action: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    entity: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    entity_id: Annotated[str, StringConstraints(max_length=80)]
    summary: str
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    version: int | None = None


class BundleReading(_Record):
    item_id: StableId
    metric_id: MetricId
    period: Annotated[str, StringConstraints(min_length=1, max_length=16)]
    period_start: Day
    date: Day
    value: Annotated[float, Field(allow_inf_nan=False)]
    source: Annotated[str, _one_of(READING_SOURCES)]
    note: str = ""
    recorded_by: Short = ""
    recorded_at: Moment


class BundleStory(_Record):
    id: StableId
    item_id: StableId
    date: Day
    author: Annotated[str, StringConstraints(max_length=200), AfterValidator(_not_blank)]
    title: Annotated[str, StringConstraints(max_length=300), AfterValidator(_not_blank)]
    text: Annotated[str, AfterValidator(_not_blank)]
    value_cycle: Annotated[str, AfterValidator(_value_cycle)]
    recorded_by: Short = ""
    recorded_at: Moment


class BundleDecision(_Record):
    id: StableId
    text: Annotated[str, AfterValidator(_not_blank)]


class BundleReview(_Record):
    id: StableId
    date: Day
    attendees: list[Annotated[str, StringConstraints(min_length=1, max_length=200)]] = []
    notes: str = ""
    snapshot: Annotated[dict[str, Any], AfterValidator(_snapshot)]
    recorded_by: Short = ""
    recorded_at: Moment
    decisions: list[BundleDecision] = []


class BundleAction(_Record):
    id: StableId
    text: Annotated[str, AfterValidator(_not_blank)]
    owner_id: StableId | None = None
    owner_name: Short = ""
    due: Day | None = None
    status: Annotated[str, _one_of(ACTION_STATUSES)] = "open"
    created_in_review: StableId | None = None
    closed_in_review: StableId | None = None
    created_at: Moment
    created_by: Short = ""
    updated_at: Moment
    updated_by: Short = ""


class Bundle(_Record):
    format: Literal["informal-learning-planner/bundle"]
    version: Literal[1, 2, 3]
    plan: BundlePlan
    people: list[BundlePerson] = []
    items: list[BundleItem] = []
    tactic_snapshots: dict[str, Tactic] = {}
    readings: list[BundleReading] = []
    stories: list[BundleStory] = []
    reviews: list[BundleReview] = []
    actions: list[BundleAction] = []
    activity: list[BundleActivity] = []


# --- export -------------------------------------------------------------------------------------


def bundle_document(
    plan: Plan,
    people: Iterable[Person],
    items: Iterable[PlanItem],
    activity: Iterable[ActivityEntry],
    readings: Iterable[Reading] = (),
    stories: Iterable[Story] = (),
    reviews: Iterable[tuple[ReviewRecord, Sequence[tuple[str, str]]]] = (),
    actions: Iterable[ActionItemRecord] = (),
) -> dict[str, Any]:
    """The bundle as JSON-ready data; `activity` oldest first, people limited to those given.

    Readings are put in order by item (plan order), metric and period, stories by date then id,
    reviews (each with its decisions as (id, text), in the order taken) by date, when recorded,
    then id, and action items by when created, then id, whatever order they come in."""
    snapshots: dict[str, Any] = {}
    item_records = []
    ordered = sorted(items, key=lambda i: (i.position, i.id))
    place = {item.id: n for n, item in enumerate(ordered)}
    for item in ordered:
        digest = None
        if item.snapshot is not None:
            digest = snapshot_hash(item.snapshot)
            snapshots[digest] = item.snapshot.model_dump(mode="json")
        item_records.append(
            {
                "id": item.id,
                "position": item.position,
                "title": item.title,
                "tactic_id": item.tactic_id,
                "tactic_snapshot": digest,
                "custom_metrics": [m.model_dump(mode="json") for m in item.custom_metrics],
                "owner_id": item.owner_id,
                "audience": item.audience,
                "team": item.team,
                "pinned_start": jsonable(item.pinned_start),
                "duration_weeks": item.duration_weeks,
                "status": item.status,
                "cop_stage": item.cop_stage,
                "notes": item.notes,
                **(
                    {"effort_hours_per_week": item.effort_hours_per_week}
                    if item.effort_hours_per_week is not None
                    else {}
                ),
                "targets": [jsonable(t) for t in item.targets],
            }
        )
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "plan": {f: jsonable(getattr(plan, f)) for f in BundlePlan.model_fields},
        "people": [jsonable(p) for p in sorted(people, key=lambda p: p.id)],
        "items": item_records,
        "tactic_snapshots": snapshots,
        "readings": [
            {f: jsonable(getattr(r, f)) for f in BundleReading.model_fields}
            for r in sorted(
                readings,
                key=lambda r: (
                    place.get(r.item_id, len(place)),
                    r.item_id,
                    r.metric_id,
                    r.period_start,
                    r.period,
                ),
            )
        ],
        "stories": [
            {f: jsonable(getattr(s, f)) for f in BundleStory.model_fields}
            for s in sorted(stories, key=lambda s: (s.date, s.id))
        ],
        "reviews": [
            {
                **{
                    f: jsonable(getattr(r, f))
                    for f in BundleReview.model_fields
                    if f not in ("decisions", "snapshot")
                },
                "snapshot": r.snapshot,
                "decisions": [{"id": i, "text": t} for i, t in decided],
            }
            for r, decided in sorted(
                reviews, key=lambda rd: (rd[0].date, jsonable(rd[0].recorded_at), rd[0].id)
            )
        ],
        "actions": [
            {f: jsonable(getattr(a, f)) for f in BundleAction.model_fields}
            for a in sorted(actions, key=lambda a: (jsonable(a.created_at), a.id))
        ],
        "activity": [
            {f: jsonable(getattr(entry, f)) for f in BundleActivity.model_fields}
            for entry in activity
        ],
    }


def dump_bundle(document: Mapping[str, Any]) -> bytes:
    """Deterministic bytes: sorted keys, indent 2, UTF-8 unescaped, final newline."""
    text = json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def export_bundle(engine: Engine, plan_id: str) -> bytes:
    """The plan's bundle, read in one consistent snapshot."""
    with uow(engine, write=False) as session:
        repo = ReviewRepository(session)
        plan = repo.plan(plan_id)
        items = repo.items(plan_id)
        actions = repo.action_items(plan_id)
        wanted = {plan.lead_id, *(i.owner_id for i in items), *(a.owner_id for a in actions)}
        wanted -= {None}
        people = repo.people(p for p in wanted if p) if wanted else []
        activity = repo.activity(plan_id)
        readings = repo.readings(plan_id)
        stories = repo.stories(plan_id)
        reviews = repo.reviews(plan_id)
        decisions = repo.decisions([r.id for r in reviews])
    decided = [(r, [(d[0], d[2]) for d in decisions.get(r.id, [])]) for r in reviews]
    return dump_bundle(
        bundle_document(
            plan, people, items, reversed(activity), readings, stories, decided, actions
        )
    )


# --- reading a bundle -----------------------------------------------------------------------


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


def looks_like_bundle(data: bytes) -> bool:
    """True for JSON content (a bundle or a broken one), False for anything else (a CSV)."""
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def parse_bundle(data: bytes, *, source: str = "bundle") -> ParsedBundle:
    """Check a bundle whole; ImportFormatError lists every problem with its JSON path."""
    check_size(len(data), "plan bundle", source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _refused(source, f"byte {exc.start}: not UTF-8 text") from None
    too_deep = json_depth_problem(data)
    if too_deep is not None:
        raise _refused(source, too_deep)
    escape = _NUL_ESCAPE.search(text)
    if escape is not None:
        line = text.count("\n", 0, escape.start()) + 1
        raise _refused(
            source,
            f"line {line}: a text holds a NUL character (\\u0000), which cannot be stored; "
            "remove it",
        )
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _refused(
            source, f"line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})"
        ) from None
    version = _check_envelope(raw, source)
    try:
        bundle = Bundle.model_validate_json(text)
    except ValidationError as exc:
        raise _refused(source, *(_describe(e, version) for e in exc.errors())) from None
    return _records(bundle, source)


def _check_envelope(raw: Any, source: str) -> int:
    """The bundle's format version, once it is one this planner reads."""
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise ImportFormatError(
            f'{source}: not a plan bundle (a JSON object with "format": "{FORMAT}"); '
            "nothing was imported."
        )
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _refused(source, f"version: expected a format version number, found {version!r}")
    if version > FORMAT_VERSION:
        raise ImportFormatError(
            f"{source}: this bundle was made by a newer version of the planner; upgrade to "
            f"import it (it has bundle format version {version}, this planner reads up to "
            f"version {FORMAT_VERSION}). Nothing was imported."
        )
    if version == FIRST_FORMAT_VERSION:
        problems = []
        if raw.get("readings"):
            problems.append(
                "readings: a version 1 bundle has no readings (they came with version 2)"
            )
        if "stories" in raw:
            problems.append("stories: not a field of a version 1 bundle")
        if problems:
            raise _refused(source, *problems)
    if version < REVIEWS_FORMAT_VERSION:
        problems = []
        if raw.get("reviews"):
            problems.append(
                f"reviews: a version {version} bundle has no reviews (they came with version "
                f"{REVIEWS_FORMAT_VERSION})"
            )
        if "actions" in raw:
            problems.append(f"actions: not a field of a version {version} bundle")
        if problems:
            raise _refused(source, *problems)
    return version


def _records(bundle: Bundle, source: str) -> ParsedBundle:
    problems: list[str] = []

    def problem(path: str, message: str) -> None:
        problems.append(f"{path}: {message}")

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

    plan: Plan | None = None
    if bundle.plan.lead_id is not None and bundle.plan.lead_id not in person_ids:
        problem("plan.lead_id", f"no person '{bundle.plan.lead_id}' in people")
    try:
        plan = Plan(**bundle.plan.model_dump())
    except InvalidInputError as exc:
        problem("plan", str(exc))

    item_ids: set[str] = set()
    items: list[PlanItem] = []
    for n, b in enumerate(bundle.items):
        where = f"items[{n}]"
        if b.id in item_ids:
            problem(f"{where}.id", f"'{b.id}' appears twice")
        item_ids.add(b.id)
        if b.owner_id is not None and b.owner_id not in person_ids:
            problem(f"{where}.owner_id", f"no person '{b.owner_id}' in people")
        snapshot = None
        if b.tactic_snapshot is not None:
            snapshot = bundle.tactic_snapshots.get(b.tactic_snapshot)
            if snapshot is None:
                problem(
                    f"{where}.tactic_snapshot",
                    f"no snapshot '{b.tactic_snapshot}' in tactic_snapshots",
                )
                continue
        if (b.tactic_id is None) != (snapshot is None):
            problem(where, "an item following a tactic needs both tactic_id and tactic_snapshot")
            continue
        try:
            items.append(
                PlanItem(
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
            )
        except InvalidInputError as exc:
            problem(where, str(exc))

    built = {item.id: item for item in items}
    for n, reading in enumerate(bundle.readings):
        where = f"readings[{n}]"
        found = _reading_problem(reading, item_ids, built)
        if found is not None:
            problem(f"{where}{found[0]}", found[1])
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

    story_ids: set[str] = set()
    stories: list[Story] = []
    for n, s in enumerate(bundle.stories):
        if s.id in story_ids:
            problem(f"stories[{n}].id", f"'{s.id}' appears twice")
        story_ids.add(s.id)
        if s.item_id not in item_ids:
            problem(f"stories[{n}].item_id", f"no item '{s.item_id}' in items")
        stories.append(Story(**s.model_dump()))

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

    for n, entry in enumerate(bundle.activity):
        if entry.version is not None and entry.version > bundle.plan.version:
            problem(
                f"activity[{n}].version",
                f"{entry.version} is later than the plan's version {bundle.plan.version}",
            )
    if problems or plan is None:
        raise _refused(source, *problems)
    return ParsedBundle(
        plan,
        people,
        items,
        list(bundle.activity),
        list(bundle.readings),
        stories,
        list(bundle.reviews),
        list(bundle.actions),
    )


def _reading_problem(
    reading: BundleReading, item_ids: set[str], items: Mapping[str, PlanItem]
) -> tuple[str, str] | None:
    """(the path below the reading, what is wrong) for a reading that does not fit its item."""
    # planner.services.readings imports this package (through exchange.csvsafe): look up late.
    from planner.domain.readings import metric_for

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


def _describe(error: Mapping[str, Any], version: int = FORMAT_VERSION) -> str:
    path = _json_path(error["loc"])
    kind = error["type"]
    if kind == "missing":
        return f"{path}: missing (required)"
    if kind == "extra_forbidden":
        return f"{path}: not a field of a version {version} bundle"
    message = str(error["msg"]).removeprefix("Value error, ")
    found = error.get("input")
    if isinstance(found, dict | list):
        return f"{path}: {message}"
    shown = repr(found)
    shown = shown if len(shown) <= 60 else shown[:59] + "…"
    return f"{path}: {message} (found {shown})"


def _json_path(loc: Sequence[str | int]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f"{'.' if path else ''}{part}"
    return path or "(the whole file)"


def _refused(source: str, *problems: str) -> ImportFormatError:
    """The error for a file that cannot be imported, listing its problems (the first dozen)."""
    shown = [p.rstrip(".") for p in problems[:MAX_PROBLEMS_SHOWN]]
    if len(problems) > len(shown):
        shown.append(f"… and {len(problems) - len(shown)} more")
    if len(shown) == 1:
        return ImportFormatError(f"{source}: {shown[0]}. Nothing was imported.")
    listed = "\n".join(f"  {p}" for p in shown)
    return ImportFormatError(
        f"{source}: {len(problems)} problems; nothing was imported. Fix them and import again:\n"
        f"{listed}"
    )


# --- importing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportedPlan:
    """What an import did: the plan written to, and what it added."""

    plan: Plan
    items: int
    people_added: list[str]
    """Names of the people created because nobody here matched them."""
    created: bool
    """True when the import created the plan (False: items added to an existing plan)."""
    copy_of: str | None = None
    """The bundle's plan id, when the bundle was imported as a copy (under a new id)."""
    copy_reason: str | None = None
    """Why it was imported as a copy, e.g. "its plan pl_… already exists here"."""
    readings: int = 0
    """Readings restored with the items."""
    stories: int = 0
    """Stories restored with the items."""


def import_bundle(
    engine: Engine,
    data: bytes,
    *,
    actor: str,
    name: str | None = None,
    source: str = "bundle",
) -> ImportedPlan:
    """Restore a bundle (or a copy of it); `name` replaces the plan's name. One transaction.

    Two imports of one bundle at the same moment both find its ids free; the database's unique
    keys let only one write them, and the other is then tried again from the start, when it
    finds them taken and makes a copy: one import and one copy, never a raw error.
    """
    require(actor, Permission.PLAN_EDIT, f"import the plan bundle {source}")
    parsed = parse_bundle(data, source=source)
    for attempt in range(_IMPORT_ATTEMPTS):
        try:
            return _import_parsed(engine, parsed, actor=actor, name=name, source=source)
        except IntegrityError:
            if attempt == _IMPORT_ATTEMPTS - 1:
                raise ConflictError(
                    f"{source}: other imports kept writing the same plan at the same time; "
                    "nothing was imported. Import it again."
                ) from None
    raise AssertionError("unreachable")  # pragma: no cover


_IMPORT_ATTEMPTS = 3


def _import_parsed(
    engine: Engine, parsed: ParsedBundle, *, actor: str, name: str | None, source: str
) -> ImportedPlan:
    at = utc_now()
    with uow(engine) as session:
        repo = Repository(session)
        original = parsed.plan
        item_ids = [i.id for i in parsed.items]
        reason = None
        if repo.db.execute(select(PLANS.c.id).where(PLANS.c.id == original.id)).first():
            reason = f"its plan {original.id} already exists here"
        else:
            for table, ids, kind in (
                (ITEMS, item_ids, "item"),
                (STORIES, [s.id for s in parsed.stories], "story"),
                (REVIEWS, [r.id for r in parsed.reviews], "review"),
                (
                    REVIEW_DECISIONS,
                    [d.id for r in parsed.reviews for d in r.decisions],
                    "review decision",
                ),
                (ACTION_ITEMS, [a.id for a in parsed.actions], "action item"),
            ):
                taken = _first_taken(repo, table, ids)
                if taken is not None:
                    reason = f"its {kind} {taken} already exists here, in another plan"
                    break
        copy = reason is not None

        people_ids, people_added, entries = _match_people(repo, parsed.people, actor, at)
        if copy:
            plan = replace(
                original,
                id=new_id("pl"),
                name=name or _copy_name(original.name),
                status="draft",
                version=1,
            )
        else:
            plan = replace(original, name=name or original.name)
        plan = replace(
            plan,
            lead_id=people_ids.get(plan.lead_id) if plan.lead_id else None,
            updated_at=at,
            updated_by=actor,
        )
        new_item_ids = {item.id: new_id("it") if copy else item.id for item in parsed.items}
        items = [
            replace(
                item,
                id=new_item_ids[item.id],
                plan_id=plan.id,
                owner_id=people_ids.get(item.owner_id) if item.owner_id else None,
            )
            for item in parsed.items
        ]
        readings = [{**r.model_dump(), "item_id": new_item_ids[r.item_id]} for r in parsed.readings]
        stories = [
            replace(
                story,
                id=new_id("st") if copy else story.id,
                item_id=new_item_ids[story.item_id],
            )
            for story in parsed.stories
        ]
        reviews, decisions, actions = _review_records(
            parsed, plan.id, copy, new_item_ids, people_ids
        )
        repo.add_plan(plan, created_by=actor)
        repo.add_items(items)
        repo.add_readings(readings)
        repo.add_stories(stories)
        meetings = ReviewRepository(session)
        for review in reviews:
            meetings.add_review(review)
        meetings.add_decisions(decisions)
        meetings.add_action_items(actions)
        if not copy:
            entries.extend(NewActivity(plan_id=plan.id, **a.model_dump()) for a in parsed.activity)
        entries.append(
            NewActivity(
                plan_id=plan.id,
                version=plan.version,
                at=at,
                actor=actor,
                action="import",
                entity="plan",
                entity_id=plan.id,
                summary=_import_summary(
                    plan,
                    original,
                    source,
                    (len(items), len(readings), len(stories)),
                    people_added,
                    reason,
                ),
                after={
                    "source": source,
                    "items": len(items),
                    "readings": len(readings),
                    "stories": len(stories),
                    "reviews": len(reviews),
                    "actions": len(actions),
                    "people_added": people_added,
                    "copy_of": original.id if copy else None,
                },
            )
        )
        repo.log(entries)
    return ImportedPlan(
        plan=plan,
        items=len(items),
        people_added=people_added,
        created=True,
        copy_of=original.id if copy else None,
        copy_reason=reason,
        readings=len(readings),
        stories=len(stories),
    )


def _review_records(
    parsed: ParsedBundle,
    plan_id: str,
    copy: bool,
    new_item_ids: Mapping[str, str],
    people_ids: Mapping[str, str],
) -> tuple[list[ReviewRecord], list[tuple[str, str, int, str]], list[ActionItemRecord]]:
    """The bundle's reviews, decisions (id, review id, position, text) and action items to
    write: under new ids in a copy (snapshots follow: item, action and review ids), owners
    mapped to the people here."""
    review_ids = {r.id: new_id("rv") if copy else r.id for r in parsed.reviews}
    action_ids = {a.id: new_id("ac") if copy else a.id for a in parsed.actions}

    def person(person_id: Any) -> str | None:
        return people_ids.get(person_id) if isinstance(person_id, str) else None

    def remap(ids: Mapping[str, str], value: Any) -> Any:
        return ids.get(value, value) if isinstance(value, str) else value

    def snapshot(raw: Mapping[str, Any]) -> dict[str, Any]:
        snap = json.loads(json.dumps(raw))  # a deep copy
        if not copy:
            return dict(snap)
        for row in snap.get("rows", []):
            if isinstance(row, dict):
                row["item_id"] = remap(new_item_ids, row.get("item_id"))
        for item in snap.get("items", []):
            if isinstance(item, dict):
                item["item_id"] = remap(new_item_ids, item.get("item_id"))
        for agenda in snap.get("agenda", []):
            if isinstance(agenda, dict):
                agenda["id"] = remap(action_ids, agenda.get("id"))
                agenda["owner_id"] = person(agenda.get("owner_id"))
                for key in ("created_in_review", "closed_in_review"):
                    agenda[key] = remap(review_ids, agenda.get(key))
        if isinstance(snap.get("actions_created"), list):
            snap["actions_created"] = [remap(action_ids, a) for a in snap["actions_created"]]
        return dict(snap)

    reviews = [
        ReviewRecord(
            id=review_ids[r.id],
            plan_id=plan_id,
            date=r.date,
            attendees=list(r.attendees),
            notes=r.notes,
            snapshot=snapshot(r.snapshot),
            recorded_by=r.recorded_by,
            recorded_at=r.recorded_at,
        )
        for r in parsed.reviews
    ]
    decisions = [
        (new_id("dc") if copy else d.id, review_ids[r.id], n, d.text)
        for r in parsed.reviews
        for n, d in enumerate(r.decisions)
    ]
    actions = [
        ActionItemRecord(
            **{
                **a.model_dump(),
                "id": action_ids[a.id],
                "plan_id": plan_id,
                "owner_id": person(a.owner_id),
                "created_in_review": remap(review_ids, a.created_in_review),
                "closed_in_review": remap(review_ids, a.closed_in_review),
            }
        )
        for a in parsed.actions
    ]
    return reviews, decisions, actions


def _first_taken(repo: Repository, table: Any, ids: Sequence[str]) -> str | None:
    """The first (by id) of these ids that `table` already has, or None."""
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        query = select(table.c.id).where(table.c.id.in_(chunk)).order_by(table.c.id).limit(1)
        taken = repo.db.scalars(query).first()
        if taken is not None:
            return str(taken)
    return None


def _match_people(
    repo: Repository, people: Sequence[Person], actor: str, at: datetime
) -> tuple[dict[str, str], list[str], list[NewActivity]]:
    """Bundle person id -> the id here: same id, else same email, else created as in the bundle."""
    known = {p.id for p in repo.people(p.id for p in people)} if people else set()
    mapping: dict[str, str] = {}
    added: list[str] = []
    entries: list[NewActivity] = []
    for person in people:
        if person.id in known:
            mapping[person.id] = person.id
            continue
        same_email = repo.person_by_email(person.email) if person.email else None
        if same_email is not None:
            mapping[person.id] = same_email.id
            continue
        repo.add_person(person, actor=actor, at=at)
        mapping[person.id] = person.id
        added.append(person.name)
        entries.append(
            NewActivity(
                plan_id=None,
                version=None,
                at=at,
                actor=actor,
                action="create",
                entity="person",
                entity_id=person.id,
                summary=f"Added {person.name} (from an imported plan)",
                after=jsonable(person),
            )
        )
    return mapping, added, entries


def _copy_name(name: str) -> str:
    return name[: MAX_NAME - len(COPY_SUFFIX)].rstrip() + COPY_SUFFIX


def _import_summary(
    plan: Plan,
    original: Plan,
    source: str,
    records: tuple[int, int, int],
    people_added: Sequence[str],
    copy_reason: str | None,
) -> str:
    items, readings, stories = records
    counts = f"{items} item{'' if items == 1 else 's'}"
    if readings:
        counts += f", {readings:,} reading{'' if readings == 1 else 's'}"
    if stories:
        counts += f", {stories} stor{'y' if stories == 1 else 'ies'}"
    if people_added:
        counts += f", {len(people_added)} {'person' if len(people_added) == 1 else 'people'} added"
    if copy_reason:
        return (
            f"Imported '{original.name}' from {source} as the copy '{plan.name}', since "
            f"{copy_reason} ({counts})"
        )
    return f"Imported the plan '{plan.name}' from {source} ({counts})"


def item_record(item: PlanItem) -> dict[str, Any]:
    """An item for the activity log: every field but the tactic snapshot (its id says which)."""
    return {f.name: jsonable(getattr(item, f.name)) for f in fields(item) if f.name != "snapshot"}
