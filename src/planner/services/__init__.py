"""The use cases: one function per thing a user does; the only door pages, ui/ and the CLI use.

    from planner import services
    services.create_plan(engine, name="Onboarding circles", actor="Dana")

What a user can do, and where it lives (every name below is importable from here):

    plans       list, open, create, copy, rename, set the status of (archive) and change a plan;
                its activity log; `change_stamp` for caches          services/plans.py
    items       add tactics (and their missing prerequisites) or custom work, edit a batch,
                remove one, refresh one from the playbook             services/items.py
    people      who is acting, everyone, add and edit people          services/people.py
    workload    a plan's dated schedule, hours per person per week    services/workload.py
    readings    record, list, delete, import (CSV) and trend metric readings; plan status
                                                                      services/readings.py
    stories     add, edit, delete and list stories of value           services/stories.py
    privacy     the opt-out list and erasing a person                 services/privacy.py

These stay submodules (`from planner.services import reviews`), because they import this
package themselves and re-exporting them here would make an import cycle: `reviews` (review
meetings, action items, "my week"), `adoption` (xAPI imports), `community` (community-tool
exports), `sample` (the sample plan). `database` opens the database (`open_database`).

Every write names the person acting (`actor`), who must have the permission for it, is one
transaction, and appends to the activity log inside that transaction: all through
`services/writes.py`. A write to a plan also carries the plan version the user started from:
if anyone saved the plan since, the save is refused with a ConflictError saying who changed
what and when, and nothing is written; an archived plan is read-only. A successful write
raises the version by one. Errors a user can fix are `planner.errors.PlannerError`s.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from planner.domain.planning import ItemChange
    from planner.services.channel_mappings import (
        MAX_CHANNEL_MAPPING,
        MAX_CHANNEL_NAME_CHARS,
        save_channel_mapping,
    )
    from planner.services.items import (
        add_custom_item,
        add_tactic_items,
        missing_prerequisites,
        refresh_item_from_tactic,
        remove_item,
        update_items,
    )
    from planner.services.people import (
        OpenPeople,
        add_person,
        get_person,
        list_people,
        open_people,
        person_for_email,
        person_version,
        resolve_actor,
        update_people,
        update_person,
    )
    from planner.services.plans import (
        OpenPlan,
        activity_log,
        change_stamp,
        copy_plan,
        create_plan,
        get_items,
        get_plan,
        list_plans,
        open_plan,
        rename_plan,
        set_plan_status,
        update_plan,
    )
    from planner.services.privacy import add_opt_out, erase_person
    from planner.services.readings import (
        apply_xapi_batch,
        delete_reading,
        import_readings_csv,
        item_trends,
        list_readings,
        metric_trend,
        parse_readings_csv,
        plan_status,
        readings_csv_template,
        record_readings,
    )
    from planner.services.stories import add_story, delete_story, list_stories, update_story
    from planner.services.workload import (
        MAX_WORKLOAD_WEEKS,
        PlanSchedule,
        plan_schedule,
        portfolio_workload,
        schedule_items_for,
    )
    from planner.services.writes import KEEP

_WHERE: dict[str, str] = {
    "ItemChange": "planner.domain.planning",
    "KEEP": "planner.services.writes",
    "MAX_CHANNEL_MAPPING": "planner.services.channel_mappings",
    "MAX_CHANNEL_NAME_CHARS": "planner.services.channel_mappings",
    "MAX_WORKLOAD_WEEKS": "planner.services.workload",
    "OpenPeople": "planner.services.people",
    "OpenPlan": "planner.services.plans",
    "PlanSchedule": "planner.services.workload",
    "activity_log": "planner.services.plans",
    "add_custom_item": "planner.services.items",
    "add_opt_out": "planner.services.privacy",
    "add_person": "planner.services.people",
    "add_story": "planner.services.stories",
    "add_tactic_items": "planner.services.items",
    "apply_xapi_batch": "planner.services.readings",
    "change_stamp": "planner.services.plans",
    "copy_plan": "planner.services.plans",
    "create_plan": "planner.services.plans",
    "delete_reading": "planner.services.readings",
    "delete_story": "planner.services.stories",
    "erase_person": "planner.services.privacy",
    "get_items": "planner.services.plans",
    "get_person": "planner.services.people",
    "get_plan": "planner.services.plans",
    "import_readings_csv": "planner.services.readings",
    "item_trends": "planner.services.readings",
    "list_people": "planner.services.people",
    "list_plans": "planner.services.plans",
    "list_readings": "planner.services.readings",
    "list_stories": "planner.services.stories",
    "metric_trend": "planner.services.readings",
    "missing_prerequisites": "planner.services.items",
    "open_people": "planner.services.people",
    "open_plan": "planner.services.plans",
    "parse_readings_csv": "planner.services.readings",
    "person_for_email": "planner.services.people",
    "person_version": "planner.services.people",
    "plan_schedule": "planner.services.workload",
    "plan_status": "planner.services.readings",
    "portfolio_workload": "planner.services.workload",
    "readings_csv_template": "planner.services.readings",
    "record_readings": "planner.services.readings",
    "refresh_item_from_tactic": "planner.services.items",
    "remove_item": "planner.services.items",
    "rename_plan": "planner.services.plans",
    "resolve_actor": "planner.services.people",
    "save_channel_mapping": "planner.services.channel_mappings",
    "schedule_items_for": "planner.services.workload",
    "set_plan_status": "planner.services.plans",
    "update_items": "planner.services.items",
    "update_people": "planner.services.people",
    "update_person": "planner.services.people",
    "update_plan": "planner.services.plans",
    "update_story": "planner.services.stories",
}
"""Where each name of the door lives: it is imported on first use (PEP 562), so
`planner validate` or a page that needs one use case does not load every module of the door."""

__all__ = [
    "KEEP",
    "MAX_CHANNEL_MAPPING",
    "MAX_CHANNEL_NAME_CHARS",
    "MAX_WORKLOAD_WEEKS",
    "ItemChange",
    "OpenPeople",
    "OpenPlan",
    "PlanSchedule",
    "activity_log",
    "add_custom_item",
    "add_opt_out",
    "add_person",
    "add_story",
    "add_tactic_items",
    "apply_xapi_batch",
    "change_stamp",
    "copy_plan",
    "create_plan",
    "delete_reading",
    "delete_story",
    "erase_person",
    "get_items",
    "get_person",
    "get_plan",
    "import_readings_csv",
    "item_trends",
    "list_people",
    "list_plans",
    "list_readings",
    "list_stories",
    "metric_trend",
    "missing_prerequisites",
    "open_people",
    "open_plan",
    "parse_readings_csv",
    "person_for_email",
    "person_version",
    "plan_schedule",
    "plan_status",
    "portfolio_workload",
    "readings_csv_template",
    "record_readings",
    "refresh_item_from_tactic",
    "remove_item",
    "rename_plan",
    "resolve_actor",
    "save_channel_mapping",
    "schedule_items_for",
    "set_plan_status",
    "update_items",
    "update_people",
    "update_person",
    "update_plan",
    "update_story",
]


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:
        if importlib.util.find_spec(f"{__name__}.{name}") is None:
            raise AttributeError(f"module 'planner.services' has no attribute '{name}'")
        return importlib.import_module(f"{__name__}.{name}")  # a use-case module: services.reviews
    value = getattr(importlib.import_module(where), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])
