"""Reads the pages repeat on every rerun, cached until the next write anywhere.

Every write appends to the activity log, so its newest id (`services.change_stamp`, one small
query) is the cache key: a rerun with nothing changed reads nothing else. Results are shared,
not copied (st.cache_resource): the records are frozen and the pages never change them.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from planner import services
from planner.domain.planning import Person, Plan
from planner.domain.schedule import ScheduleItem, Workload
from planner.services import reviews as reviews_service
from planner.services.database import Engine
from planner.services.reviews import Review
from planner.ui.data import engine


def stamp() -> int:
    return services.change_stamp(engine())


@st.cache_resource(max_entries=4, show_spinner=False)
def _people(_engine: Engine, url: str, stamp: int) -> list[Person]:
    return services.list_people(_engine)


@st.cache_resource(max_entries=4, show_spinner=False)
def _plans(_engine: Engine, url: str, stamp: int) -> list[Plan]:
    return services.list_plans(_engine, statuses=("draft", "active", "closed"))


@st.cache_resource(max_entries=8, show_spinner="Working out the schedule…")
def _schedule(_engine: Engine, url: str, plan_id: str, stamp: int) -> services.PlanSchedule:
    return services.plan_schedule(_engine, plan_id)


@st.cache_resource(max_entries=8, show_spinner="Adding up workload…")
def _workload(
    _engine: Engine, url: str, weeks: tuple[date, date], include_drafts: bool, stamp: int
) -> tuple[Workload, list[ScheduleItem]]:
    return services.portfolio_workload(_engine, weeks=weeks, include_drafts=include_drafts)


@st.cache_resource(max_entries=8, show_spinner=False)
def _reviews(_engine: Engine, url: str, plan_id: str, stamp: int) -> list[Review]:
    return reviews_service.list_reviews(_engine, plan_id)


def reviews(plan_id: str) -> list[Review]:
    """The plan's reviews, newest first (their snapshots are read once per change)."""
    eng = engine()
    return _reviews(eng, str(eng.url), plan_id, stamp())


def people() -> list[Person]:
    eng = engine()
    return _people(eng, str(eng.url), stamp())


def plans() -> list[Plan]:
    eng = engine()
    return _plans(eng, str(eng.url), stamp())


def plan_schedule(plan_id: str) -> services.PlanSchedule:
    eng = engine()
    return _schedule(eng, str(eng.url), plan_id, stamp())


def workload(
    weeks: tuple[date, date], include_drafts: bool = False
) -> tuple[Workload, list[ScheduleItem]]:
    """Hours per person per week in `weeks` (first day, last day), drafts counted on request."""
    eng = engine()
    return _workload(eng, str(eng.url), weeks, include_drafts, stamp())
