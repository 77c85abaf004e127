"""An iCalendar file of a plan: item starts and ends, milestones and review dates.

Every event is an all-day VEVENT whose UID is derived from stable ids only (`event_uid`):

    start / end     {plan id}.{item id}.start / .end
    milestone       {plan id}.{item id}.step-{index}   (the item's steps counted from 0)
    review          {plan id}.review.{YYYYMMDD}

so importing the file again into a calendar updates the events instead of duplicating them.
Review events are the reviews held up to the as-of date (one event a day, listing attendees
and decisions) and the planned review dates (the cadence from the last review held, and the
next review date); a planned date that is later held keeps its UID, so the event updates.
DTSTAMP is midnight UTC of the as-of date and SEQUENCE is 0, so the same plan as of the same
date gives the same bytes. Dropped items and their milestones are left out.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event, vText

from planner.exchange.report import DROPPED, Report, ReportReview

UID_DOMAIN = "informal-learning-planner"
PRODID = "-//Informal Learning Planner//planner//EN"


def event_uid(plan_id: str, *parts: str) -> str:
    """A stable UID: the plan id, then item id and kind (or 'review' and the date)."""
    return ".".join((plan_id, *parts)) + "@" + UID_DOMAIN


def one_line(text: str) -> str:
    """A title for one line of a calendar: line breaks (and runs of spaces) become one space."""
    return " ".join(text.split())


def _event(uid: str, day: date, summary: str, description: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", one_line(summary))
    if description:
        event.add("description", description)
    event.add("transp", "TRANSPARENT")
    return event


def calendar_of(report: Report) -> Calendar:
    """The plan's calendar (see the module docstring)."""
    plan = report.plan
    stamp = datetime(report.as_of.year, report.as_of.month, report.as_of.day, tzinfo=UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    # vText escapes what it holds; an X- property added as plain text is written as is, so a
    # line break in a plan's name would end the line there and start a line of its own.
    cal.add("x-wr-calname", vText(one_line(plan.name)))
    for item in report.items:
        if item.work_status == DROPPED:
            continue
        who = f"Owner: {item.owner}" if item.owner else "No owner"
        cal.add_component(
            _event(
                event_uid(plan.id, item.id, "start"),
                item.start,
                f"Start: {item.title}",
                f"{who}. Plan: {plan.name}.",
                stamp,
            )
        )
        cal.add_component(
            _event(
                event_uid(plan.id, item.id, "end"),
                item.last_day,
                f"Ends: {item.title}",
                f"{who}. Last day of the item. Plan: {plan.name}.",
                stamp,
            )
        )
    for milestone in report.milestones:
        cal.add_component(
            _event(
                event_uid(plan.id, milestone.item_id, f"step-{milestone.index}"),
                milestone.date,
                f"{milestone.item_title}: {milestone.text}",
                f"Milestone of {milestone.item_title}. Plan: {plan.name}.",
                stamp,
            )
        )
    held: dict[date, list[ReportReview]] = {}
    for review in sorted(report.held, key=lambda r: r.date):
        held.setdefault(review.date, []).insert(0, review)  # in the order held
    planned = {*report.reviews, report.next_review} - set(held)
    for day in sorted({*held, *planned}):
        if day in held:
            summary, description = f"Review held: {plan.name}", _held(held[day])
        else:
            summary = f"Review: {plan.name}"
            description = f"Planned {plan.review_cadence} review of the plan."
        cal.add_component(
            _event(event_uid(plan.id, "review", f"{day:%Y%m%d}"), day, summary, description, stamp)
        )
    return cal


def _held(reviews: list[ReportReview]) -> str:
    parts = []
    for review in reviews:
        lines = ["Attendees: " + (", ".join(review.attendees) or "none")]
        lines += [f"Decision: {d}" for d in review.decisions]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def ics_bytes(report: Report) -> bytes:
    return calendar_of(report).to_ical()
