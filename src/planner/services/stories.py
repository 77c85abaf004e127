"""Value-creation stories: what happened because of a plan item, told beside its numbers.

Wenger-Trayner's framework pairs indicators with stories; each story here is attached to one
plan item and tagged with the value cycle it shows (`VALUE_CYCLES`, the taxonomy's framework
ids). Like readings, stories are data rather than plan edits: adding one is logged in the plan's
activity log but does not raise the plan's version. An archived plan takes no new stories.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from planner.domain.access import Permission
from planner.domain.limits import day_problem, text_problem
from planner.domain.planning import (
    UNSEEN,
    InvalidInputError,
    PlanItem,
    Unseen,
    describe_conflict,
    new_id,
    same_moment,
)
from planner.domain.stories import VALUE_CYCLES as VALUE_CYCLES
from planner.errors import ConflictError
from planner.services.writes import Write
from planner.store import Engine, Repository, Story, uow

_LIMITS = {"title": 300, "author": 200}


def _checked(story: Story, item: PlanItem) -> Story:
    title, text, author = story.title.strip(), story.text.strip(), story.author.strip()
    where = f"The story for '{item.title}'"
    if not title:
        raise InvalidInputError(f"{where} needs a title.")
    if not text:
        raise InvalidInputError(f"{where} needs its text: what happened, and what it changed.")
    if not author:
        raise InvalidInputError(f"{where} needs an author: who tells it.")
    for name, value in (("title", title), ("author", author), ("text", text)):
        if "\x00" in value:
            raise InvalidInputError(f"{where}: the {name} {text_problem(value)}.")
    for name, value in (("title", title), ("author", author)):
        if len(value) > _LIMITS[name]:
            raise InvalidInputError(f"{where}: the {name} is longer than {_LIMITS[name]} letters.")
    if story.value_cycle not in VALUE_CYCLES:
        raise InvalidInputError(
            f"{where}: '{story.value_cycle}' is not a value cycle; use one of "
            f"{', '.join(VALUE_CYCLES)}."
        )
    if not isinstance(story.date, dt.date):
        raise InvalidInputError(f"{where}: the date must be a date, not {story.date!r}.")
    day = story.date.date() if isinstance(story.date, dt.datetime) else story.date
    if (problem := day_problem(day)) is not None:
        raise InvalidInputError(f"{where}: the date {problem}.")
    return replace(story, title=title, text=text, author=author, date=day)


def add_story(
    engine: Engine,
    plan_id: str,
    item_id: str,
    *,
    title: str,
    text: str,
    value_cycle: str,
    actor: str,
    author: str | None = None,
    date: dt.date | None = None,
) -> Story:
    """A new story about an item (author: the person acting unless given; date: today)."""
    with Write.begin(
        engine, actor, Permission.READINGS_EDIT, f"add a story to plan {plan_id}"
    ) as write:
        repo, at = write.repo, write.at
        plan = write.writable_plan(plan_id, to="record readings or stories")
        item = repo.item(plan_id, item_id)
        story = _checked(
            Story(
                id=new_id("st"),
                item_id=item.id,
                date=date or dt.date.today(),
                author=author if author is not None and author.strip() else actor,
                title=title,
                text=text,
                value_cycle=value_cycle,
                recorded_by=actor,
                recorded_at=at,
            ),
            item,
        )
        repo.add_story(story)
        _log(write, plan.id, "create", story, f"Added the story '{story.title}' to '{item.title}'")
    return story


def update_story(
    engine: Engine,
    plan_id: str,
    story_id: str,
    *,
    actor: str,
    title: str | None = None,
    text: str | None = None,
    value_cycle: str | None = None,
    author: str | None = None,
    date: dt.date | None = None,
    seen: dt.datetime | Unseen | None = UNSEEN,
) -> Story:
    """Change a story; arguments left at None stay as they are. `seen` (the story's
    `recorded_at` as the page drew it) refuses the edit if anyone changed it since."""
    with Write.begin(
        engine, actor, Permission.READINGS_EDIT, f"edit a story of plan {plan_id}"
    ) as write:
        repo, at = write.repo, write.at
        plan = write.writable_plan(plan_id, to="record readings or stories")
        old = repo.story(plan_id, story_id)
        _check_fresh(repo, old, seen, at)
        item = repo.item(plan_id, old.item_id)
        changes: dict[str, Any] = {
            k: v
            for k, v in {
                "title": title,
                "text": text,
                "value_cycle": value_cycle,
                "author": author,
                "date": date,
            }.items()
            if v is not None
        }
        new = _checked(replace(old, **changes), item)
        if new == old:
            return old
        new = replace(new, recorded_by=actor, recorded_at=at)
        repo.save_story(new)
        _log(write, plan.id, "update", new, f"Edited the story '{old.title}'")
    return new


def delete_story(
    engine: Engine,
    plan_id: str,
    story_id: str,
    *,
    actor: str,
    seen: dt.datetime | Unseen | None = UNSEEN,
) -> Story:
    with Write.begin(
        engine, actor, Permission.READINGS_EDIT, f"delete a story of plan {plan_id}"
    ) as write:
        repo, at = write.repo, write.at
        plan = write.writable_plan(plan_id, to="record readings or stories")
        story = repo.story(plan_id, story_id)
        _check_fresh(repo, story, seen, at)
        repo.delete_story(story.id)
        _log(write, plan.id, "remove", story, f"Removed the story '{story.title}'")
    return story


def list_stories(engine: Engine, plan_id: str, item_id: str | None = None) -> list[Story]:
    """The plan's stories (or one item's), newest first."""
    with uow(engine, write=False) as session:
        repo = Repository(session)
        repo.plan(plan_id)
        return repo.stories(plan_id, item_id=item_id)


def _check_fresh(
    repo: Repository, story: Story, seen: dt.datetime | Unseen | None, now: dt.datetime
) -> None:
    if isinstance(seen, Unseen) or same_moment(story.recorded_at, seen):
        return
    entries = repo.entity_activity("story", story.id, since=seen) if seen else []
    raise ConflictError(
        describe_conflict(
            entries, expected_version=0, now=now, subject=f"The story '{story.title}'"
        )
    )


def _log(write: Write, plan_id: str, action: str, story: Story, summary: str) -> None:
    record = {
        "item_id": story.item_id,
        "date": story.date.isoformat(),
        "author": story.author,
        "title": story.title,
        "value_cycle": story.value_cycle,
    }
    write.log(
        action,
        "story",
        story.id,
        summary,
        plan_id=plan_id,
        before=record if action == "remove" else None,
        after=record if action != "remove" else None,
    )
