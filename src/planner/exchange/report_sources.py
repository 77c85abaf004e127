"""From what the services read of a plan to the `Report` every report format shows.

`report_of(sources, as_of)` shapes a `ReportSources` (the plan, its items and schedule, people,
its status as of the date, stories, readings, reviews and action items, as
`planner.services.reports.gather_report` reads them) into a `planner.exchange.report.Report`:
items in plan order with their progress, readings and milestones up to the date, reviews held
and planned (`review_dates`), action items as they stood (`report_actions`). Suppression of
small counts of people happens here, so no format can show them unsuppressed.

Pure: imports the domain and `planner.exchange.report` (the records) only.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from planner.domain.planning import Person, Plan, PlanItem
from planner.domain.privacy import counts_distinct_people, suppress
from planner.domain.progress import (
    STATUSES,
    MetricProgress,
    PlanProgress,
    comparison_text,
    is_count,
)
from planner.domain.reviews import ActionItem, Review, next_review_date
from planner.domain.schedule import Schedule
from planner.exchange.report import (
    CUSTOM,
    DROPPED,
    Report,
    ReportAction,
    ReportItem,
    ReportMetric,
    ReportMilestone,
    ReportReading,
    ReportReview,
)

_CLOSED_WORK = ("done", "dropped")
"""Work statuses of an item that is over: it can no longer be overdue."""


def _add_months(start: date, months: int) -> date:
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def review_dates(start: date, last_day: date, cadence: str) -> tuple[date, ...]:
    """Review dates: one cadence after the plan's start, then every cadence, up to its last day.

    weekly and fortnightly step 7 and 14 days; monthly and quarterly step 1 and 3 calendar
    months from the start (the 31st becomes the month's last day where it has no 31st)."""
    days: list[date] = []
    step = 1
    while step <= 1000:
        if cadence in ("weekly", "fortnightly"):
            day = start + timedelta(days=step * (7 if cadence == "weekly" else 14))
        else:
            day = _add_months(start, step * (3 if cadence == "quarterly" else 1))
        if day > last_day:
            break
        days.append(day)
        step += 1
    return tuple(days)


def held_reviews(reviews: Sequence[Review], as_of: date) -> list[ReportReview]:
    """The reviews held on or before `as_of`, in the order given (newest first)."""
    return [
        ReportReview(
            id=r.id,
            date=r.date,
            attendees=r.attendees,
            adoption_index=r.adoption_index,
            decisions=tuple(d.text for d in r.decisions),
            notes=r.notes,
            actions_raised=len(r.actions_created),
        )
        for r in reviews
        if r.date <= as_of
    ]


def report_actions(
    actions: Sequence[ActionItem],
    review_days: dict[str, date],
    owners: dict[str, str],
    as_of: date,
) -> list[ReportAction]:
    """The action items as they stood on `as_of`, open ones first (by due date, undated
    last), then done and dropped ones, each in the order they were created.

    `review_days` maps every review id to its date. An action item raised in a review after
    `as_of` (or added between reviews after it) did not exist yet and is left out; one closed
    in a review after `as_of` (or, outside a review, after it) was still open."""
    shown: list[ReportAction] = []
    for action in actions:
        raised = review_days.get(action.created_in_review or "")
        if raised is not None and raised > as_of:
            continue
        if raised is None and action.created_at is not None and action.created_at.date() > as_of:
            continue
        closed = review_days.get(action.closed_in_review or "")
        status = action.status
        if status != "open" and (
            (closed is not None and closed > as_of)
            or (
                closed is None
                and action.updated_at is not None
                and action.updated_at.date() > as_of
            )
        ):
            status, closed = "open", None
        owner = (owners.get(action.owner_id) if action.owner_id else None) or action.owner_name
        shown.append(
            ReportAction(
                id=action.id,
                text=action.text,
                owner=owner,
                due=action.due,
                status=status,
                raised_at=raised,
                closed_at=closed if status != "open" else None,
                overdue=status == "open" and action.due is not None and action.due < as_of,
            )
        )
    order = {a.id: n for n, a in enumerate(shown)}
    return sorted(
        shown,
        key=lambda a: (
            a.status != "open",
            (a.due or date.max) if a.status == "open" else date.max,
            order[a.id],
        ),
    )


class DatedReading(Protocol):
    """What a report shows of a stored reading (`planner.services.readings.list_readings`)."""

    @property
    def item_id(self) -> str: ...
    @property
    def metric_id(self) -> str: ...
    @property
    def period(self) -> str: ...
    @property
    def date(self) -> date: ...
    @property
    def value(self) -> float: ...
    @property
    def source(self) -> str: ...
    @property
    def note(self) -> str: ...


class DatedStory(Protocol):
    """What a report counts of a story (`planner.services.stories.list_stories`)."""

    @property
    def item_id(self) -> str: ...
    @property
    def date(self) -> date: ...


@dataclass(frozen=True, slots=True)
class ReportSources:
    """What a report is made from, as the services read it (`report_of` shapes it)."""

    plan: Plan
    items: Sequence[PlanItem]
    schedule: Schedule
    people: Sequence[Person]
    progress: PlanProgress
    stories: Sequence[DatedStory]
    readings: Sequence[DatedReading]
    reviews: Sequence[Review]
    """Every recorded review, newest first."""
    actions: Sequence[ActionItem]
    """Every action item, oldest first."""
    categories: Mapping[str, str]
    """Category id -> title."""


def report_of(sources: ReportSources, as_of: date) -> Report:
    """Everything a report shows of the plan as of `as_of` (see the module docstring)."""
    plan = sources.plan
    owners = {p.id: p.name for p in sources.people}
    items = report_items(sources, owners, as_of)
    readings = report_readings(sources.readings, sources.items, as_of)
    milestones = report_milestones(sources.schedule, items)
    last_day = max((i.last_day for i in items), default=plan.start_date)
    first_day = min((i.start for i in items), default=plan.start_date)
    counts = dict.fromkeys(STATUSES, 0)
    for shown in items:
        if shown.status in counts:
            counts[shown.status] += 1
    held = held_reviews(sources.reviews, as_of)
    last_held = held[0].date if held else None
    anchor = last_held if last_held is not None else plan.start_date
    review_days = {r.id: r.date for r in sources.reviews}
    actions = report_actions(sources.actions, review_days, owners, as_of)
    return Report(
        plan=plan,
        as_of=as_of,
        lead=owners.get(plan.lead_id, "") if plan.lead_id else "",
        items=tuple(items),
        readings=tuple(readings),
        milestones=tuple(milestones),
        reviews=review_dates(anchor, last_day, plan.review_cadence),
        adoption_index=sources.progress.adoption_index,
        counts=counts,
        first_day=first_day,
        last_day=last_day,
        next_review=next_review_date(plan, last_held, as_of),
        held=tuple(held),
        actions=tuple(actions),
        coverage=sources.progress.coverage,
    )


def report_items(
    sources: ReportSources, owners: Mapping[str, str], as_of: date
) -> list[ReportItem]:
    """The plan's items in plan order (position, then id), as of `as_of`."""
    stories: dict[str, int] = {}
    for story in sources.stories:
        if story.date <= as_of:
            stories[story.item_id] = stories.get(story.item_id, 0) + 1
    by_item = {p.item_id: p for p in sources.progress.items}
    titles_of = sources.categories
    items: list[ReportItem] = []
    for item in sorted(sources.items, key=lambda i: (i.position, i.id)):
        entry = sources.schedule.entries[item.id]
        found = by_item.get(item.id)
        metrics = tuple(_report_metric(row, as_of) for row in (found.metrics if found else ()))
        items.append(
            ReportItem(
                id=item.id,
                title=item.title,
                category=(
                    titles_of.get(item.snapshot.category, item.snapshot.category)
                    if item.snapshot
                    else CUSTOM
                ),
                owner=owners.get(item.owner_id, "") if item.owner_id else "",
                team=item.team,
                start=entry.start,
                last_day=entry.last_day,
                work_status=item.status,
                status=found.status if found else DROPPED,
                notes=item.notes,
                metrics=metrics,
                stories=stories.get(item.id, 0),
                overdue=entry.last_day < as_of and item.status not in _CLOSED_WORK,
            )
        )
    return items


def report_readings(
    readings: Iterable[DatedReading], items: Sequence[PlanItem], as_of: date
) -> list[ReportReading]:
    """The readings up to `as_of` (values suppressed like actuals), by item title, item id,
    metric name and period."""
    titles = {item.id: item.title for item in items}
    metric_of = {(i.id, m.id): m for i in items for m in i.metrics}
    shown = []
    for reading in readings:
        if reading.date > as_of:
            continue
        metric = metric_of.get((reading.item_id, reading.metric_id))
        people = metric is not None and counts_distinct_people(metric)
        shown.append(
            ReportReading(
                item_id=reading.item_id,
                item_title=titles.get(reading.item_id, reading.item_id),
                metric_name=metric.name if metric else reading.metric_id,
                period=reading.period,
                date=reading.date,
                value=suppress(reading.value, distinct_people=people),
                source=reading.source,
                note=reading.note,
            )
        )
    shown.sort(key=lambda r: (r.item_title, r.item_id, r.metric_name, r.period))
    return shown


def report_milestones(schedule: Schedule, items: Sequence[ReportItem]) -> list[ReportMilestone]:
    """The steps of the items not dropped, by date, item id and step; each step's `index`
    counts its item's steps from 0, dropped or not."""
    titles = {item.id: item.title for item in items}
    live = {i.id for i in items if i.work_status != DROPPED}
    step_counts: dict[str, int] = {}
    milestones: list[ReportMilestone] = []
    for milestone in schedule.milestones:
        index = step_counts.get(milestone.item_id, 0)
        step_counts[milestone.item_id] = index + 1
        if milestone.item_id in live:
            milestones.append(
                ReportMilestone(
                    milestone.item_id,
                    titles[milestone.item_id],
                    index,
                    milestone.date,
                    milestone.text,
                )
            )
    milestones.sort(key=lambda m: (m.date, m.item_id, m.index))
    return milestones


def _report_metric(row: MetricProgress, as_of: date) -> ReportMetric:
    actual = suppress(row.actual, distinct_people=counts_distinct_people(row.metric))
    return ReportMetric(
        id=row.metric.id,
        name=row.metric.name,
        unit=row.metric.unit,
        status=row.status,
        actual=actual,
        target=row.target,
        expected=row.expected,
        progress=row.progress,
        last_reading=row.last_reading,
        due=row.due,
        baseline=row.baseline,
        baseline_source=row.baseline_source,
        count=is_count(row.metric),
        compared=comparison_text(row, as_of, actual=actual),
    )
