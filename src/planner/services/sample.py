"""The sample plan: a six-month informal-learning rollout for a 400-person support organisation.

A new user loads it in one click ("Load sample plan") or with `planner demo`, and sees a living
dashboard: people with capacities, items across communities, coaching, networks and job aids,
some done, some under way, one community of practice in its coalescing stage.

Readings run from three weeks before the plan's start (baselines) to the day before `today`:
twelve weeks and more. Each series is drawn (with a random generator seeded by `today`, so the
same day gives the same plan) to end where its `progress` says against the expected line as of
`today`, so the statuses come out as designed whatever the day: most items on track, the
job-aid library, onboarding and the calibration huddles at risk, the ask-an-expert channel
(answers too slow) and Tier 2's learning goals off track, items without readings at no data, and
items starting later not started. The coalescing community gets weekly health readings
(members, active members, contributors, questions, answered in time, hours to first response),
and a few value-creation stories sit beside the numbers.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine

from planner import services
from planner.domain.access import Permission, require
from planner.domain.library import Library
from planner.domain.periods import periods_between, single_reading
from planner.domain.planning import ItemChange, Person, Plan, PlanItem, Target
from planner.domain.playbook import Metric
from planner.domain.progress import expected_value, uses_latest_value
from planner.domain.readings import ReadingInput
from planner.domain.schedule import ScheduledItem
from planner.services import reviews
from planner.services.readings import record_readings
from planner.services.stories import add_story

SAMPLE_NAME = "Support Academy: informal learning rollout"
SAMPLE_DESCRIPTION = (
    "Six months to help our 400 support agents learn from each other: a troubleshooting "
    "community of practice for Tier 2, learning goals in every one-to-one, a job-aid library "
    "agents actually open, and networks that reach beyond the support floor."
)
SAMPLE_WEEKS_UNDER_WAY = 10
"""The sample plan started this many weeks before the day it is loaded."""


@dataclass(frozen=True)
class _PersonSpec:
    key: str
    name: str
    email: str
    role: str
    team: str
    capacity: float


@dataclass(frozen=True)
class _ItemSpec:
    tactic_id: str
    owner: str | None
    team: str
    audience: str
    status: str = "planned"
    notes: str = ""
    cop_stage: str | None = None
    pinned_week: int | None = None  # pinned start, in weeks after the plan's start
    duration_weeks: int | None = None  # when it differs from the tactic's


PEOPLE: tuple[_PersonSpec, ...] = (
    _PersonSpec("maya", "Maya Okafor", "maya.okafor@example.org", "L&D partner", "L&D", 10),
    _PersonSpec(
        "tom", "Tom Becker", "tom.becker@example.org", "Community coordinator", "Support Ops", 8
    ),
    _PersonSpec(
        "priya", "Priya Raman", "priya.raman@example.org", "Knowledge manager", "Knowledge", 6
    ),
    _PersonSpec(
        "luis", "Luis Fernández", "luis.fernandez@example.org", "Team manager", "Tier 1", 4
    ),
    _PersonSpec("aisha", "Aisha Khan", "aisha.khan@example.org", "Team manager", "Tier 2", 4),
    _PersonSpec(
        "jonas", "Jonas Weber", "jonas.weber@example.org", "Senior support engineer", "Tier 2", 3
    ),
    _PersonSpec(
        "grace", "Grace Liu", "grace.liu@example.org", "Internal communications", "Comms", 3
    ),
)

ITEMS: tuple[_ItemSpec, ...] = (
    _ItemSpec(
        "informal-learning-charter",
        "maya",
        "Support leadership",
        "Managers",
        "done",
        "Signed off by the VP of Support in week 4.",
        duration_weeks=4,
    ),
    _ItemSpec(
        "sponsor-quarterly-follow-through",
        "maya",
        "Support leadership",
        "Executives",
        "in progress",
        "Sponsor: VP of Support. Monthly 20-minute check-ins booked.",
    ),
    _ItemSpec(
        "cop-potential-discovery",
        "tom",
        "Tier 2",
        "Tier 2 agents",
        "done",
        "Wrapped up in four weeks: 14 discovery conversations; core group of 5 found.",
        duration_weeks=4,
    ),
    _ItemSpec(
        "cop-coalescing-launch",
        "tom",
        "Tier 2",
        "Tier 2 agents",
        "in progress",
        "Troubleshooting community launched; first two sessions drew 30 people.",
        cop_stage="coalescing",
    ),
    _ItemSpec(
        "community-rhythm-and-welcome",
        "tom",
        "Tier 2",
        "New members",
        "planned",
        "Start once the launch sessions settle into a rhythm.",
    ),
    _ItemSpec(
        "ask-an-expert-channel",
        "jonas",
        "Tier 1 and 2",
        "Frontline agents",
        "in progress",
        "Eight experts on the rota; aiming at answers within a working day.",
    ),
    _ItemSpec(
        "job-aid-library",
        "priya",
        "Knowledge",
        "Frontline agents",
        "in progress",
        "Top 20 ticket types covered first.",
    ),
    _ItemSpec(
        "change-quick-reference-cards",
        "priya",
        "Knowledge",
        "Frontline agents",
        "planned",
        "For the billing-system change in the spring.",
        pinned_week=14,
    ),
    _ItemSpec(
        "manager-learning-goal-conversations",
        "luis",
        "Tier 1",
        "Tier 1 agents",
        "in progress",
        "Twelve managers in Tier 1.",
    ),
    _ItemSpec(
        "manager-learning-goal-conversations",
        "aisha",
        "Tier 2",
        "Tier 2 agents",
        "in progress",
        "Six managers in Tier 2.",
    ),
    _ItemSpec(
        "onboarding-buddy",
        "luis",
        "Tier 1",
        "New hires",
        "in progress",
        "Every new agent gets a buddy from the week they start.",
    ),
    _ItemSpec(
        "working-out-loud-circles",
        "maya",
        "All teams",
        "Team leads",
        "planned",
        "Two pilot circles of five.",
        pinned_week=12,
    ),
    _ItemSpec("pln-mapping-workshop", "grace", "All teams", "Agents", "planned"),
    _ItemSpec(
        "value-creation-stories",
        "grace",
        "All teams",
        "Everyone",
        "in progress",
        "One story a fortnight in the support newsletter.",
    ),
    _ItemSpec(
        "mentoring-career-and-psychosocial",
        "jonas",
        "Tier 2",
        "New Tier 2 engineers",
        "blocked",
        "Waiting for managers to free an hour a week for mentors.",
    ),
    _ItemSpec("external-communities-and-associations", None, "All teams", "Senior agents"),
    _ItemSpec(
        "executive-sponsor-agreement",
        "maya",
        "Support leadership",
        "Executives",
        "done",
        "The VP of Support signed three dated commitments in week 3, before any launch.",
    ),
    _ItemSpec(
        "internal-knowledge-repository",
        "priya",
        "Knowledge",
        "Everyone",
        "done",
        "The support knowledge base was rebuilt last year; answers and lessons are filed there.",
        pinned_week=-16,
    ),
)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _people(engine: Engine, actor: str) -> dict[str, Person]:
    """The sample's people, reusing anyone already there with the same email."""
    by_email = {p.email: p for p in services.list_people(engine) if p.email}
    found: dict[str, Person] = {}
    for spec in PEOPLE:
        person = by_email.get(spec.email)
        if person is None:
            person = services.add_person(
                engine,
                name=spec.name,
                email=spec.email,
                role=spec.role,
                team=spec.team,
                capacity_hours_per_week=spec.capacity,
                actor=actor,
            )
        found[spec.key] = person
    return found


def create_sample_plan(
    engine: Engine, library: Library, *, actor: str, today: date | None = None
) -> Plan:
    """Create the sample plan, started ten weeks before `today`, and return it."""
    require(actor, Permission.PLAN_EDIT, "load the sample plan")
    today = today or date.today()
    start = _monday(today) - timedelta(weeks=SAMPLE_WEEKS_UNDER_WAY)
    people = _people(engine, actor)
    plan = services.create_plan(
        engine,
        name=SAMPLE_NAME,
        description=SAMPLE_DESCRIPTION,
        start_date=start,
        lead_id=people["maya"].id,
        review_cadence="fortnightly",
        status="active",
        actor=actor,
    )
    version = plan.version
    changes: list[ItemChange] = []
    item_ids: list[str] = []
    for spec in ITEMS:
        owner = people[spec.owner].id if spec.owner else None
        (item,) = services.add_tactic_items(
            engine,
            plan.id,
            [library.tactic(spec.tactic_id)],
            owner_id=owner,
            team=spec.team,
            audience=spec.audience,
            expected_version=version,
            actor=actor,
        )
        version += 1
        values: dict[str, object] = {"status": spec.status, "notes": spec.notes}
        if spec.cop_stage:
            values["cop_stage"] = spec.cop_stage
        if spec.pinned_week is not None:
            values["pinned_start"] = start + timedelta(weeks=spec.pinned_week)
        if spec.duration_weeks is not None:
            values["duration_weeks"] = spec.duration_weeks
        changes.append(ItemChange(item.id, values))
        item_ids.append(item.id)
    huddles = services.add_custom_item(
        engine,
        plan.id,
        title="Calibration huddles on tricky tickets",
        duration_weeks=8,
        owner_id=people["aisha"].id,
        team="Tier 2",
        audience="Tier 2 agents",
        notes="Not in any playbook: 30 minutes a week reviewing two escalated tickets together.",
        metrics=[
            Metric(
                id="huddles-held",
                name="Calibration huddles held",
                unit="huddles",
                aggregation="sum",
                direction="higher",
                target=8,
                cadence="weekly",
                definition="Count the huddles held in the week where at least four agents "
                "reviewed an escalated ticket together.",
                framework="value-applied",
            )
        ],
        expected_version=version,
        actor=actor,
    )
    version += 1
    item_ids.append(huddles.id)
    services.update_items(engine, plan.id, changes, expected_version=version, actor=actor)
    _add_readings(engine, plan.id, item_ids, today, actor)
    _add_stories(engine, plan.id, item_ids, people, today, actor)
    _add_reviews(engine, plan.id, people, today, actor)
    return services.get_plan(engine, plan.id)


# --- past reviews ------------------------------------------------------------------------------


def _add_reviews(
    engine: Engine, plan_id: str, people: dict[str, Person], today: date, actor: str
) -> None:
    """Two past reviews (four and two weeks before today): the first sets two action items,
    the second closes one and leaves the other open, so the agenda carries it."""
    first_day = today - timedelta(weeks=4)
    second_day = today - timedelta(weeks=2)
    first = reviews.record_review(
        engine,
        plan_id,
        date=first_day,
        attendees=[people["maya"].name, people["aisha"].name],
        notes="First review since launch: champions are signed up; circles start slowly.",
        decisions=[
            "Keep the peer circles at four people each until week six.",
            "Track calibration huddles weekly, not monthly.",
        ],
        new_actions=[
            reviews.NewAction(
                "Send the circle facilitators the agenda template",
                people["maya"].id,
                first_day + timedelta(days=7),
            ),
            reviews.NewAction(
                "Ask team leads for two escalated tickets per huddle",
                people["aisha"].id,
                second_day + timedelta(weeks=3),
            ),
        ],
        actor=actor,
    )
    template = first.actions_created[0]  # the other stays open, on the next agenda
    reviews.record_review(
        engine,
        plan_id,
        date=second_day,
        attendees=[people["maya"].name, people["aisha"].name],
        notes="Agenda template is in use; huddles need more tickets from the team leads.",
        decisions=["Share the huddle notes in the Tier 2 channel after each session."],
        action_updates={template: "done"},
        actor=actor,
    )


# --- readings and stories ---------------------------------------------------------------------

HUDDLES = len(ITEMS)
"""The index of the custom calibration-huddles item, after the playbook items."""


@dataclass(frozen=True)
class _SeriesSpec:
    item: int  # index into ITEMS (HUDDLES for the custom item)
    metric: str
    progress: float  # where the metric ends, as of today, against its expected line
    baseline: float | None = None  # first reading of a latest or average metric
    lead_weeks: int = 0  # baseline readings from this many weeks before the item starts
    whole: bool = True  # whole numbers (counts, people); else one decimal


SERIES: tuple[_SeriesSpec, ...] = (
    _SeriesSpec(0, "managers-know-allowance", 1.03, baseline=35),
    _SeriesSpec(0, "charter-endorsements", 1.0, baseline=1),
    _SeriesSpec(1, "sponsor-commitments-kept", 1.0, baseline=70, lead_weeks=5),
    _SeriesSpec(1, "blockers-removed", 1.5),
    _SeriesSpec(2, "members", 1.0, baseline=4),
    _SeriesSpec(2, "discovery-conversations", 1.17),
    _SeriesSpec(2, "core-group-volunteers", 1.25, baseline=1),
    _SeriesSpec(3, "members", 1.15, baseline=12),
    _SeriesSpec(3, "active-members", 1.1, baseline=5),
    _SeriesSpec(3, "questions", 1.1),
    _SeriesSpec(3, "questions-answered-in-time", 1.05),
    _SeriesSpec(3, "median-hours-to-first-response", 1.1, baseline=30, whole=False),
    _SeriesSpec(5, "questions", 1.1),
    _SeriesSpec(5, "questions-answered-in-time", 0.8),
    _SeriesSpec(5, "median-hours-to-first-response", 0.5, baseline=14, lead_weeks=3, whole=False),
    _SeriesSpec(5, "answers-in-repository", 1.1),
    _SeriesSpec(6, "job-aids-published", 1.2),
    _SeriesSpec(6, "covered-task-tickets", 0.78, baseline=18, whole=False),
    _SeriesSpec(8, "reports-with-learning-goal", 1.0, baseline=20),
    _SeriesSpec(8, "goals-applied-at-work", 0.97, baseline=10),
    _SeriesSpec(9, "reports-with-learning-goal", 0.45, baseline=15),
    _SeriesSpec(10, "days-to-first-solo-task", 0.8, baseline=30, whole=False),
    _SeriesSpec(10, "knows-who-to-ask", 1.1, baseline=50),
    _SeriesSpec(13, "stories-with-realised-value", 1.3),
    _SeriesSpec(16, "commitments-dated", 1.0),
    _SeriesSpec(17, "pages-in-date", 1.0, baseline=60),
    _SeriesSpec(HUDDLES, "huddles-held", 0.75),
)
"""What each metric with readings looks like; the others have none (no data)."""

CONTRIBUTORS = (2, 3, 3, 4, 5, 6, 6, 7, 8, 8, 9, 9, 10)
"""Weekly contributors of the coalescing community (a reserved health metric): the first
weeks show as "< 5" wherever distinct people are counted."""


def _add_readings(
    engine: Engine, plan_id: str, item_ids: list[str], today: date, actor: str
) -> None:
    planned = services.plan_schedule(engine, plan_id)
    items = {i.id: i for i in planned.items}
    entries = planned.schedule.entries
    rng = random.Random(f"sample-readings {today.isoformat()}")
    rows: list[ReadingInput] = []
    for spec in SERIES:
        item = items[item_ids[spec.item]]
        metric = next(m for m in item.metrics if m.id == spec.metric)
        if metric.denominator_metric is not None:  # a share: counts out of those already made
            rows.extend(_share_series(item, metric, spec, entries[item.id], today, rows))
            continue
        rows.extend(_series(item, spec, entries[item.id], today, rng))
    community = items[item_ids[3]]
    weeks = [r.date for r in rows if r.item_id == community.id and r.metric_id == "members"]
    rows.extend(
        ReadingInput(community.id, "contributors", day, float(n))
        for day, n in zip(weeks, CONTRIBUTORS, strict=False)
    )
    record_readings(engine, plan_id, rows, actor=actor, source_name="the sample plan")


def _series(
    item: PlanItem, spec: _SeriesSpec, entry: ScheduledItem, today: date, rng: random.Random
) -> list[ReadingInput]:
    """Readings of one metric, one per period up to yesterday, ending where `spec` says."""
    metric = next(m for m in item.metrics if m.id == spec.metric)
    target = item.target_for(metric.id)
    last = min(today - timedelta(days=1), entry.last_day)
    if target is None or last < entry.start:
        return []
    if single_reading(metric.cadence):
        return _single_reading(item, metric, spec, entry, target, today)
    first = entry.start - timedelta(weeks=spec.lead_weeks)
    if metric.readings_from_week:  # no readings before the metric's data exist
        first = max(first, entry.start + timedelta(weeks=metric.readings_from_week))
        if first > last:
            return []
    days = [min(p.end, last) for p in periods_between(first, last, metric.cadence)]
    due = target.due_date or entry.last_day
    n = len(days)

    def rounded(value: float) -> float:
        return float(round(value)) if spec.whole else round(value, 1)

    if uses_latest_value(metric) or metric.aggregation == "average":
        first_value = spec.baseline if spec.baseline is not None else 0.0
        expected = expected_value(
            today, start=entry.start, due=due, baseline=first_value, target=target.value
        )
        goal = first_value + spec.progress * (expected - first_value)
        wobble = abs(goal - first_value) * 0.08
        if n == 1:
            values = [first_value]
        elif metric.aggregation == "average":
            # The mean lands on the goal: the periods after the first make up for it.
            later = (goal * n - first_value) / (n - 1)
            middle = [later + rng.uniform(-wobble, wobble) for _ in range(n - 2)]
            values = [first_value, *middle, later * (n - 1) - sum(middle)]
        else:  # the latest value is the goal; the way there wobbles a little
            middle = [
                first_value + (goal - first_value) * k / (n - 1) + rng.uniform(-wobble, wobble)
                for k in range(1, n - 1)
            ]
            values = [first_value, *middle, goal]
    else:
        expected = expected_value(
            today, start=entry.start, due=due, baseline=0.0, target=target.value
        )
        total = round(spec.progress * expected)
        weights = [1.0 + 0.6 * rng.random() for _ in range(n)]
        shares = [total * w / sum(weights) for w in weights]
        values, carried = [], 0.0
        for share in shares:  # whole numbers that add up to the total exactly
            carried += share
            values.append(float(round(carried) - round(carried - share)))
    return [
        ReadingInput(item.id, metric.id, day, max(0.0, rounded(value)))
        for day, value in zip(days, values, strict=True)
    ]


def _share_series(
    item: PlanItem,
    metric: Metric,
    spec: _SeriesSpec,
    entry: ScheduledItem,
    today: date,
    rows: list[ReadingInput],
) -> list[ReadingInput]:
    """Counts of a share metric (`denominator_metric`), one per reading of its denominator
    already made for the item: the first period answers `spec.baseline` percent (default 60),
    the later ones enough that the pooled share ends where `spec.progress` says against the
    expected line. Each count is a whole number from 0 to the period's denominator."""
    target = item.target_for(metric.id)
    below = [r for r in rows if r.item_id == item.id and r.metric_id == metric.denominator_metric]
    if target is None or not below:
        return []
    first = spec.baseline if spec.baseline is not None else 60.0
    if below[0].value > 0:  # the first period's share as whole counts make it
        first = 100 * round(below[0].value * first / 100) / below[0].value
    due = target.due_date or entry.last_day
    expected = expected_value(
        min(today, due), start=entry.start, due=due, baseline=first, target=target.value
    )
    goal = first + spec.progress * (expected - first)
    asked = [r.value for r in below]
    total, head = sum(asked), asked[0]
    later = goal if total <= head else (goal * total - first * head) / (total - head)
    shares = [first, *([later] * (len(asked) - 1))]
    counts: list[float] = []
    wanted = 0.0
    for value, share in zip(asked, shares, strict=True):  # carried so the pooled share lands
        wanted += value * share / 100
        counts.append(min(value, max(0.0, float(round(wanted)) - sum(counts))))
    return [ReadingInput(item.id, metric.id, r.date, n) for r, n in zip(below, counts, strict=True)]


def _single_reading(
    item: PlanItem,
    metric: Metric,
    spec: _SeriesSpec,
    entry: ScheduledItem,
    target: Target,
    today: date,
) -> list[ReadingInput]:
    """The one reading of a `once` or `end` metric: at the due date (`end`) or halfway there
    (`once`), if that day has passed; judged, as progress does, against the target itself."""
    due = target.due_date or entry.last_day
    day = due if metric.cadence == "end" else entry.start + (due - entry.start) / 2
    if day >= today:
        return []
    known = metric.baseline.known_value if metric.baseline is not None else None
    base = target.baseline if target.baseline is not None else (known or 0.0)
    value = base + spec.progress * (target.value - base)
    value = float(round(value)) if spec.whole else round(value, 1)
    return [ReadingInput(item.id, metric.id, day, max(0.0, value))]


@dataclass(frozen=True)
class _StorySpec:
    item: int
    days_ago: int
    author: str
    title: str
    text: str
    value_cycle: str


STORIES: tuple[_StorySpec, ...] = (
    _StorySpec(
        3,
        12,
        "jonas",
        "Three teams, one flaky integration",
        "At the second troubleshooting session three Tier 2 engineers found they had each been "
        "working around the same flaky payment-provider integration. They wrote one shared "
        "runbook in the session instead of three private notes.",
        "value-immediate",
    ),
    _StorySpec(
        5,
        9,
        "priya",
        "An answer that stopped an escalation",
        "A Tier 1 agent asked in the channel how to recover a locked admin account; an expert "
        "answered within the hour, and the same answer, saved to the repository, was used four "
        "more times that week without anyone escalating.",
        "value-applied",
    ),
    _StorySpec(
        6,
        20,
        "priya",
        "Refund job aid cut handling time",
        "Since the refund job aid went live, refund tickets are handled in about seven minutes "
        "instead of eleven, and the quality team reports fewer reopened refund tickets.",
        "value-realized",
    ),
    _StorySpec(
        8,
        5,
        "luis",
        "A learning goal became the new triage checklist",
        "One agent's learning goal was to get faster at triage. She interviewed two senior "
        "agents about how they triage, and her notes became the checklist the whole Tier 1 "
        "floor now uses.",
        "value-transformative",
    ),
)


def _add_stories(
    engine: Engine,
    plan_id: str,
    item_ids: list[str],
    people: dict[str, Person],
    today: date,
    actor: str,
) -> None:
    for spec in STORIES:
        add_story(
            engine,
            plan_id,
            item_ids[spec.item],
            title=spec.title,
            text=spec.text,
            value_cycle=spec.value_cycle,
            author=people[spec.author].name,
            date=today - timedelta(days=spec.days_ago),
            actor=actor,
        )
