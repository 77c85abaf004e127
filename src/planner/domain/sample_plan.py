"""The sample plan's data, as plain records: its people, items, stories and past reviews (a
six-month informal-learning rollout for a 400-person support organisation).

Pure data: planner.services.sample creates the plan from these records; the series its readings
follow are in planner.domain.sample_readings. Imports only domain records.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.domain.playbook import Metric

SAMPLE_NAME = "Support Academy: informal learning rollout"
SAMPLE_DESCRIPTION = (
    "Six months to help our 400 support agents learn from each other: a troubleshooting "
    "community of practice for Tier 2, learning goals in every one-to-one, a job-aid library "
    "agents actually open, and networks that reach beyond the support floor."
)
SAMPLE_WEEKS_UNDER_WAY = 10
"""The sample plan started this many weeks before the day it is loaded."""


@dataclass(frozen=True)
class SamplePerson:
    """Someone on the sample plan: `key` names them in the records below."""

    key: str
    name: str
    email: str
    role: str
    team: str
    capacity: float


@dataclass(frozen=True)
class SampleItem:
    """A playbook tactic on the sample plan, with its owner (a person's key) and how it stands."""

    tactic_id: str
    owner: str | None
    team: str
    audience: str
    status: str = "planned"
    notes: str = ""
    cop_stage: str | None = None
    pinned_week: int | None = None  # pinned start, in weeks after the plan's start
    duration_weeks: int | None = None  # when it differs from the tactic's


@dataclass(frozen=True)
class SampleCustomItem:
    """An item of the sample plan's own (not from a playbook), with its metrics."""

    title: str
    duration_weeks: int
    owner: str
    team: str
    audience: str
    notes: str
    metrics: tuple[Metric, ...]


PEOPLE: tuple[SamplePerson, ...] = (
    SamplePerson("maya", "Maya Okafor", "maya.okafor@example.org", "L&D partner", "L&D", 10),
    SamplePerson(
        "tom", "Tom Becker", "tom.becker@example.org", "Community coordinator", "Support Ops", 8
    ),
    SamplePerson(
        "priya", "Priya Raman", "priya.raman@example.org", "Knowledge manager", "Knowledge", 6
    ),
    SamplePerson(
        "luis", "Luis Fernández", "luis.fernandez@example.org", "Team manager", "Tier 1", 4
    ),
    SamplePerson("aisha", "Aisha Khan", "aisha.khan@example.org", "Team manager", "Tier 2", 4),
    SamplePerson(
        "jonas", "Jonas Weber", "jonas.weber@example.org", "Senior support engineer", "Tier 2", 3
    ),
    SamplePerson(
        "grace", "Grace Liu", "grace.liu@example.org", "Internal communications", "Comms", 3
    ),
)

ITEMS: tuple[SampleItem, ...] = (
    SampleItem(
        "informal-learning-charter",
        "maya",
        "Support leadership",
        "Managers",
        "done",
        "Signed off by the VP of Support in week 4.",
        duration_weeks=4,
    ),
    SampleItem(
        "sponsor-quarterly-follow-through",
        "maya",
        "Support leadership",
        "Executives",
        "in progress",
        "Sponsor: VP of Support. Monthly 20-minute check-ins booked.",
    ),
    SampleItem(
        "cop-potential-discovery",
        "tom",
        "Tier 2",
        "Tier 2 agents",
        "done",
        "Wrapped up in four weeks: 14 discovery conversations; core group of 5 found.",
        duration_weeks=4,
    ),
    SampleItem(
        "cop-coalescing-launch",
        "tom",
        "Tier 2",
        "Tier 2 agents",
        "in progress",
        "Troubleshooting community launched; first two sessions drew 30 people.",
        cop_stage="coalescing",
    ),
    SampleItem(
        "community-rhythm-and-welcome",
        "tom",
        "Tier 2",
        "New members",
        "planned",
        "Start once the launch sessions settle into a rhythm.",
    ),
    SampleItem(
        "ask-an-expert-channel",
        "jonas",
        "Tier 1 and 2",
        "Frontline agents",
        "in progress",
        "Eight experts on the rota; aiming at answers within a working day.",
    ),
    SampleItem(
        "job-aid-library",
        "priya",
        "Knowledge",
        "Frontline agents",
        "in progress",
        "Top 20 ticket types covered first.",
    ),
    SampleItem(
        "change-quick-reference-cards",
        "priya",
        "Knowledge",
        "Frontline agents",
        "planned",
        "For the billing-system change in the spring.",
        pinned_week=14,
    ),
    SampleItem(
        "manager-learning-goal-conversations",
        "luis",
        "Tier 1",
        "Tier 1 agents",
        "in progress",
        "Twelve managers in Tier 1.",
    ),
    SampleItem(
        "manager-learning-goal-conversations",
        "aisha",
        "Tier 2",
        "Tier 2 agents",
        "in progress",
        "Six managers in Tier 2.",
    ),
    SampleItem(
        "onboarding-buddy",
        "luis",
        "Tier 1",
        "New hires",
        "in progress",
        "Every new agent gets a buddy from the week they start.",
    ),
    SampleItem(
        "working-out-loud-circles",
        "maya",
        "All teams",
        "Team leads",
        "planned",
        "Two pilot circles of five.",
        pinned_week=12,
    ),
    SampleItem("pln-mapping-workshop", "grace", "All teams", "Agents", "planned"),
    SampleItem(
        "value-creation-stories",
        "grace",
        "All teams",
        "Everyone",
        "in progress",
        "One story a fortnight in the support newsletter.",
    ),
    SampleItem(
        "mentoring-career-and-psychosocial",
        "jonas",
        "Tier 2",
        "New Tier 2 engineers",
        "blocked",
        "Waiting for managers to free an hour a week for mentors.",
    ),
    SampleItem("external-communities-and-associations", None, "All teams", "Senior agents"),
    SampleItem(
        "executive-sponsor-agreement",
        "maya",
        "Support leadership",
        "Executives",
        "done",
        "The VP of Support signed three dated commitments in week 3, before any launch.",
    ),
    SampleItem(
        "internal-knowledge-repository",
        "priya",
        "Knowledge",
        "Everyone",
        "done",
        "The support knowledge base was rebuilt last year; answers and lessons are filed there.",
        pinned_week=-16,
    ),
)


HUDDLES_ITEM = SampleCustomItem(
    title="Calibration huddles on tricky tickets",
    duration_weeks=8,
    owner="aisha",
    team="Tier 2",
    audience="Tier 2 agents",
    notes="Not in any playbook: 30 minutes a week reviewing two escalated tickets together.",
    metrics=(
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
        ),
    ),
)
"""The one item not in any playbook, added after ITEMS."""


HUDDLES = len(ITEMS)
"""The index of the custom calibration-huddles item, after the playbook items."""

COMMUNITY = 3
"""The index in ITEMS of the coalescing community of practice (its launch item)."""


@dataclass(frozen=True)
class SampleStory:
    """A value-creation story told `days_ago` days before the sample is loaded."""

    item: int
    days_ago: int
    author: str
    title: str
    text: str
    value_cycle: str


STORIES: tuple[SampleStory, ...] = (
    SampleStory(
        3,
        12,
        "jonas",
        "Three teams, one flaky integration",
        "At the second troubleshooting session three Tier 2 engineers found they had each been "
        "working around the same flaky payment-provider integration. They wrote one shared "
        "runbook in the session instead of three private notes.",
        "value-immediate",
    ),
    SampleStory(
        5,
        9,
        "priya",
        "An answer that stopped an escalation",
        "A Tier 1 agent asked in the channel how to recover a locked admin account; an expert "
        "answered within the hour, and the same answer, saved to the repository, was used four "
        "more times that week without anyone escalating.",
        "value-applied",
    ),
    SampleStory(
        6,
        20,
        "priya",
        "Refund job aid cut handling time",
        "Since the refund job aid went live, refund tickets are handled in about seven minutes "
        "instead of eleven, and the quality team reports fewer reopened refund tickets.",
        "value-realized",
    ),
    SampleStory(
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


# --- past reviews ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SampleAction:
    """An action item set at a sample review, due `due_days` days after the meeting."""

    text: str
    owner: str
    due_days: int


@dataclass(frozen=True)
class SampleReview:
    """A past review meeting `weeks_ago` weeks before the sample is loaded; `closes` marks done
    the action items set at earlier sample reviews (indexes in the order they were set)."""

    weeks_ago: int
    attendees: tuple[str, ...]
    notes: str
    decisions: tuple[str, ...]
    new_actions: tuple[SampleAction, ...] = ()
    closes: tuple[int, ...] = ()


REVIEWS: tuple[SampleReview, ...] = (
    SampleReview(
        4,
        ("maya", "aisha"),
        "First review since launch: champions are signed up; circles start slowly.",
        (
            "Keep the peer circles at four people each until week six.",
            "Track calibration huddles weekly, not monthly.",
        ),
        new_actions=(
            SampleAction("Send the circle facilitators the agenda template", "maya", 7),
            SampleAction("Ask team leads for two escalated tickets per huddle", "aisha", 35),
        ),
    ),
    SampleReview(
        2,
        ("maya", "aisha"),
        "Agenda template is in use; huddles need more tickets from the team leads.",
        ("Share the huddle notes in the Tier 2 channel after each session.",),
        closes=(0,),  # the agenda template; the other action stays open, on the next agenda
    ),
)
"""Two past reviews (four and two weeks before the sample is loaded): the first sets two action
items, the second closes one and leaves the other open, so the agenda carries it."""
