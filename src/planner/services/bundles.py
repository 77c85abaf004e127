"""Plan bundles as use cases: export a plan's bundle, import (restore) one.

Importing (one transaction; on any problem nothing is written):
- the bundle is checked whole first (`planner.exchange.bundle.parse_bundle`): JSON, structure,
  references and rules, every problem with its JSON path; a newer format version is refused;
- people are matched by id, then by email (ignoring case), and created only when missing;
- when the plan id (or an item, story, review, decision or action item id) already exists
  here, the bundle becomes a copy: new ids (`planner.services.bundle_copy`), " (copy)" after
  its name, status draft, version 1, and no history but the import (like `services.copy_plan`);
  its readings, stories, reviews (their snapshots too), action items and saved channel mapping
  follow to the new ids. Otherwise the plan is restored as it was, with its version, its
  readings, stories, reviews, action items (who recorded them and when), channel mapping and
  its activity log;
- the import itself is recorded in the plan's activity log (action "import").

May import the domain, the store and the exchange formats.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from planner.domain.access import Permission, require
from planner.domain.planning import Person, Plan, jsonable, new_id
from planner.errors import ConflictError
from planner.exchange.bundle import COPY_SUFFIX, MAX_NAME, ParsedBundle, bundle_bytes, parse_bundle
from planner.services.bundle_copy import BundleIds, review_records
from planner.services.writes import Write
from planner.store import (
    ChannelMappingRepository,
    NewActivity,
    Repository,
    ReviewRepository,
    uow,
)
from planner.store.bundles import (
    DuplicateKeyError,
    first_taken,
    plan_exists,
    read_plan_contents,
)
from planner.store.bundles import Kind as Kind

if TYPE_CHECKING:
    from sqlalchemy import Engine

_IMPORT_ATTEMPTS = 3


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


def export_bundle(engine: Engine, plan_id: str) -> bytes:
    """The plan's bundle, read in one consistent snapshot."""
    return bundle_bytes(read_plan_contents(engine, plan_id))


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
        except DuplicateKeyError:
            if attempt == _IMPORT_ATTEMPTS - 1:
                raise ConflictError(
                    f"{source}: other imports kept writing the same plan at the same time; "
                    "nothing was imported. Import it again."
                ) from None
    raise AssertionError("unreachable")  # pragma: no cover


def _import_parsed(
    engine: Engine, parsed: ParsedBundle, *, actor: str, name: str | None, source: str
) -> ImportedPlan:
    with uow(engine) as session, Write.on(repo := ReviewRepository(session), actor) as write:
        at = write.at
        reason = _copy_reason(repo, parsed)
        copy = reason is not None
        people_ids, people_added = _match_people(write, parsed.people)
        plan = _plan_to_write(parsed.plan, copy, name, people_ids, actor, at)
        ids = BundleIds.of(parsed, copy)
        items = [
            replace(
                item,
                id=ids.items[item.id],
                plan_id=plan.id,
                owner_id=people_ids.get(item.owner_id) if item.owner_id else None,
            )
            for item in parsed.items
        ]
        readings = [{**r.model_dump(), "item_id": ids.items[r.item_id]} for r in parsed.readings]
        stories = [
            replace(story, id=ids.stories[story.id], item_id=ids.items[story.item_id])
            for story in parsed.stories
        ]
        reviews, decisions, actions = review_records(parsed, plan.id, ids, people_ids)
        repo.add_plan(plan, created_by=actor)
        repo.add_items(items)
        repo.add_readings(readings)
        repo.add_stories(stories)
        for review in reviews:
            repo.add_review(review)
        repo.add_decisions(decisions)
        repo.add_action_items(actions)
        channels = [(key, name, ids.items[i]) for key, name, i in parsed.channel_mapping]
        ChannelMappingRepository(session).replace_channel_mapping(plan.id, channels)
        if not copy:
            # The bundle's own log, restored as it was (a copy, not a new entry: the one
            # activity entry built outside `Write.log`), between the people and the import.
            write.restore([NewActivity(plan_id=plan.id, **a.model_dump()) for a in parsed.activity])
        counts = {
            "items": len(items),
            "readings": len(readings),
            "stories": len(stories),
            "reviews": len(reviews),
            "actions": len(actions),
            **({"channels": len(channels)} if channels else {}),
        }
        _log_import(write, plan, parsed.plan, source, counts, people_added, reason)
    return ImportedPlan(
        plan=plan,
        items=len(items),
        people_added=people_added,
        created=True,
        copy_of=parsed.plan.id if copy else None,
        copy_reason=reason,
        readings=len(readings),
        stories=len(stories),
    )


def _copy_reason(repo: Repository, parsed: ParsedBundle) -> str | None:
    """Why the bundle must come in as a copy (its plan or one of its ids is here), or None."""
    if plan_exists(repo, parsed.plan.id):
        return f"its plan {parsed.plan.id} already exists here"
    kinds: tuple[tuple[Kind, list[str]], ...] = (
        ("item", [i.id for i in parsed.items]),
        ("story", [s.id for s in parsed.stories]),
        ("review", [r.id for r in parsed.reviews]),
        ("review decision", [d.id for r in parsed.reviews for d in r.decisions]),
        ("action item", [a.id for a in parsed.actions]),
    )
    for kind, ids in kinds:
        taken = first_taken(repo, kind, ids)
        if taken is not None:
            return f"its {kind} {taken} already exists here, in another plan"
    return None


def _plan_to_write(
    original: Plan,
    copy: bool,
    name: str | None,
    people_ids: dict[str, str],
    actor: str,
    at: datetime,
) -> Plan:
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
    return replace(
        plan,
        lead_id=people_ids.get(plan.lead_id) if plan.lead_id else None,
        updated_at=at,
        updated_by=actor,
    )


def _match_people(write: Write, people: Sequence[Person]) -> tuple[dict[str, str], list[str]]:
    """Bundle person id -> the id here: same id, else same email, else created as in the bundle
    (and logged); and the names of the people created."""
    repo, actor, at = write.repo, write.actor, write.at
    known = {p.id for p in repo.people(p.id for p in people)} if people else set()
    mapping: dict[str, str] = {}
    added: list[str] = []
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
        write.log(
            "create",
            "person",
            person.id,
            f"Added {person.name} (from an imported plan)",
            after=jsonable(person),
        )
    return mapping, added


def _copy_name(name: str) -> str:
    return name[: MAX_NAME - len(COPY_SUFFIX)].rstrip() + COPY_SUFFIX


def _log_import(
    write: Write,
    plan: Plan,
    original: Plan,
    source: str,
    counts: dict[str, int],
    people_added: list[str],
    reason: str | None,
) -> None:
    """The plan's log entry for the import itself."""
    records = (counts["items"], counts["readings"], counts["stories"])
    write.log(
        "import",
        "plan",
        plan.id,
        _import_summary(plan, original, source, records, people_added, reason),
        plan_id=plan.id,
        version=plan.version,
        after={
            "source": source,
            **counts,
            "people_added": people_added,
            "copy_of": original.id if reason is not None else None,
        },
    )


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
