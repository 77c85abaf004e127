"""Loading the sample plan: a six-month informal-learning rollout for a 400-person support
organisation, created from the records in planner.domain.sample_plan.

A new user loads it in one click ("Load sample plan") or with `planner demo`, and sees a living
dashboard: people with capacities, items across communities, coaching, networks and job aids,
some done, some under way, one community of practice in its coalescing stage, readings drawn by
planner.domain.sample_readings so the statuses come out as designed whatever the day (most items
on track, the job-aid library, onboarding and the calibration huddles at risk, the ask-an-expert
channel and Tier 2's learning goals off track, items without readings at no data, items starting
later not started), a few value-creation stories and two past reviews.

This module is the use case only (it calls other services); the data lives in the domain.
"""

from __future__ import annotations

from datetime import date, timedelta

from planner import services
from planner.domain.access import Permission, require
from planner.domain.library import Library
from planner.domain.planning import InvalidInputError, ItemChange, Person, Plan
from planner.domain.sample_plan import HUDDLES as HUDDLES
from planner.domain.sample_plan import HUDDLES_ITEM, PEOPLE, REVIEWS
from planner.domain.sample_plan import ITEMS as ITEMS
from planner.domain.sample_plan import SAMPLE_DESCRIPTION as SAMPLE_DESCRIPTION
from planner.domain.sample_plan import SAMPLE_NAME as SAMPLE_NAME
from planner.domain.sample_plan import SAMPLE_WEEKS_UNDER_WAY as SAMPLE_WEEKS_UNDER_WAY
from planner.domain.sample_plan import STORIES as STORIES
from planner.domain.sample_readings import CONTRIBUTORS as CONTRIBUTORS
from planner.domain.sample_readings import SERIES as SERIES
from planner.domain.sample_readings import sample_readings
from planner.services import reviews
from planner.services.readings import record_readings
from planner.services.stories import add_story
from planner.store import Engine


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


def sample_plan_problems(library: Library) -> list[str]:
    """What the sample plan needs of `library` and does not find there: its tactics, and the
    metrics its readings are drawn for (a user's playbook may replace a built-in tactic)."""
    problems: list[str] = []
    for spec in ITEMS:
        if spec.tactic_id not in library.tactics:
            problems.append(f"the tactic '{spec.tactic_id}' is not in the playbook library")
    metrics_of = [
        {m.id for m in library.tactics[s.tactic_id].metrics}
        if s.tactic_id in library.tactics
        else None
        for s in ITEMS
    ]
    metrics_of.append({m.id for m in HUDDLES_ITEM.metrics})
    for series in SERIES:
        known = metrics_of[series.item]
        if known is not None and series.metric not in known:
            tactic = ITEMS[series.item].tactic_id if series.item < len(ITEMS) else "huddles"
            problems.append(f"the tactic '{tactic}' has no metric '{series.metric}'")
    return problems


def create_sample_plan(
    engine: Engine, library: Library, *, actor: str, today: date | None = None
) -> Plan:
    """Create the sample plan, started ten weeks before `today`, and return it. When the
    library lacks a tactic or metric it needs, nothing is written (InvalidInputError)."""
    require(actor, Permission.PLAN_EDIT, "load the sample plan")
    problems = sample_plan_problems(library)
    if problems:
        raise InvalidInputError(
            "The sample plan is built from the built-in playbooks, and "
            + "; ".join(problems[:5])
            + (f" (and {len(problems) - 5} more)" if len(problems) > 5 else "")
            + ". Check the playbooks you load over them (Playbooks → Validation); "
            "nothing was created."
        )
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
    item_ids = _add_items(engine, library, plan, people, start, actor)
    _add_readings(engine, plan.id, item_ids, today, actor)
    _add_stories(engine, plan.id, item_ids, people, today, actor)
    _add_reviews(engine, plan.id, people, today, actor)
    return services.get_plan(engine, plan.id)


def _add_items(
    engine: Engine,
    library: Library,
    plan: Plan,
    people: dict[str, Person],
    start: date,
    actor: str,
) -> list[str]:
    """The playbook ITEMS, then the custom huddles item, then their statuses, notes, stages,
    pinned starts and durations in one update; returns the item ids in that order."""
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
        title=HUDDLES_ITEM.title,
        duration_weeks=HUDDLES_ITEM.duration_weeks,
        owner_id=people[HUDDLES_ITEM.owner].id,
        team=HUDDLES_ITEM.team,
        audience=HUDDLES_ITEM.audience,
        notes=HUDDLES_ITEM.notes,
        metrics=list(HUDDLES_ITEM.metrics),
        expected_version=version,
        actor=actor,
    )
    version += 1
    item_ids.append(huddles.id)
    services.update_items(engine, plan.id, changes, expected_version=version, actor=actor)
    return item_ids


def _add_reviews(
    engine: Engine, plan_id: str, people: dict[str, Person], today: date, actor: str
) -> None:
    """The past REVIEWS, oldest first; each may close action items set at an earlier one."""
    actions: list[str] = []
    for spec in REVIEWS:
        day = today - timedelta(weeks=spec.weeks_ago)
        review = reviews.record_review(
            engine,
            plan_id,
            date=day,
            attendees=[people[key].name for key in spec.attendees],
            notes=spec.notes,
            decisions=list(spec.decisions),
            new_actions=[
                reviews.NewAction(a.text, people[a.owner].id, day + timedelta(days=a.due_days))
                for a in spec.new_actions
            ],
            action_updates={actions[k]: "done" for k in spec.closes} if spec.closes else None,
            actor=actor,
        )
        actions.extend(review.actions_created)


def _add_readings(
    engine: Engine, plan_id: str, item_ids: list[str], today: date, actor: str
) -> None:
    planned = services.plan_schedule(engine, plan_id)
    items = {i.id: i for i in planned.items}
    rows = sample_readings(items, planned.schedule.entries, item_ids, today)
    record_readings(engine, plan_id, rows, actor=actor, source_name="the sample plan")


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
