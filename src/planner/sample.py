"""The sample plan: a six-month informal-learning rollout for a 400-person support organisation.

A new user loads it in one click ("Load sample plan") or with `planner demo`, and sees a living
dashboard: people with capacities, items across communities, coaching, networks and job aids,
some done, some under way, one community of practice in its coalescing stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine

from planner import services
from planner.domain import Metric
from planner.planning import ItemChange, Person, Plan
from planner.playbooks import Library

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
    ),
    _ItemSpec(
        "executive-sponsor-agreement",
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
        "14 discovery conversations; core group of 5 found.",
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
        "mentoring-with-response-targets",
        "jonas",
        "Tier 2",
        "New Tier 2 engineers",
        "blocked",
        "Waiting for managers to free an hour a week for mentors.",
    ),
    _ItemSpec("external-communities-and-associations", None, "All teams", "Senior agents"),
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
        changes.append(ItemChange(item.id, values))
    services.add_custom_item(
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
    services.update_items(engine, plan.id, changes, expected_version=version, actor=actor)
    return services.get_plan(engine, plan.id)
