"""Eight people writing the same thing at once, for every kind of write: nothing is lost.

Each kind has eight writers (threads, each with its own engine) looping for a fixed time:
read what the page would draw, decide a new value from it, and write it based on what was
read. A write succeeds, or is refused as a conflict (ConflictError, or ReadingsExistError for
a reading someone recorded first), or as busy on SQLite (BusyError: nothing written). What
"lost" means, per kind:

readings  one shared reading (item, metric, period); a writer replaces the value it saw
          (`replace=ReadingsExistError.seen`) or records the first one. Every success writes a
          value no one else writes, so the successes must form one chain from "no reading" to
          the stored value, each based on the value the previous one wrote; a success whose
          base was already replaced, or that is off the chain, was lost.
actions   one action item toggled open/done with `seen=` its updated_at as read; the same
          chain on those stamps, the stored status is the last success's, and the log has one
          entry per success.
reviews   reviews recorded with a status change to that action item (`action_seen=`): every
          successful review is stored, the stamps chain, and the action is as the last left it.
stories   one story's title edited with `seen=` its recorded_at as read: the stamps chain, and
          the stored title is the last success's.
people    one person's role edited through `update_people` with the version read: versions
          go up by one per success, no two successes share a base version, the role stored is
          the last success's, and the log has one entry per success.
imports   the same bundle (exported from another database) imported over and over: exactly one
          import restores its ids, every other success is a copy, every success's plan is
          stored with all its items, and no raw error (IntegrityError) escapes.
xapi      the same xAPI files imported by everyone at once (round k: statements of file k, ten
          questions asked): each statement is counted once, so the stored count of questions
          equals the statements of the files some import reported, and the statements the
          successes report as new add up to exactly that (no statement counted twice).
plancsv   plan CSVs of two custom rows (titles no one else uses) imported into one plan: every
          success's rows are in the plan, positions are all different, and the plan's version
          went up by exactly one per success.

Prints attempts, successes, conflicts and lost per kind; exits 1 if anything was lost.

    python bench/bench_concurrent_writes.py                 # SQLite in a temp folder, 30 s each
    python bench/bench_concurrent_writes.py --url postgresql+psycopg://user@host/db
    python bench/bench_concurrent_writes.py --small         # 2 s each, to check that it works
    python bench/bench_concurrent_writes.py --kind people   # one kind
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("readings", "actions", "reviews", "stories", "people", "imports", "xapi", "plancsv")
STALE_REFUSED = ("readings", "actions", "reviews", "stories", "people")
"""Kinds whose writes replace what they read, so some are refused as stale; imports add."""
DAY = dt.date(2026, 11, 2)


@dataclass
class Tally:
    attempts: int = 0
    conflicts: int = 0
    busy: int = 0
    successes: list[Any] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class Report:
    kind: str
    writers: int
    seconds: float
    attempts: int
    successes: int
    conflicts: int
    busy: int
    lost: int
    problems: list[str]

    def __str__(self) -> str:
        return (
            f"{self.kind:<9} {self.writers} writers for {self.seconds:.0f} s: "
            f"{self.attempts:,} attempts, {self.successes:,} successes, "
            f"{self.conflicts:,} conflicts, {self.busy:,} busy, lost: {self.lost:,}"
        )


def _stamp(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).isoformat()


def _chain(links: list[tuple[Any, Any]], start: Any, final: Any) -> tuple[int, list[str]]:
    """(lost, problems) for successes as (based on, wrote) links that must chain start→final."""
    problems: list[str] = []
    by_base: dict[Any, Any] = {}
    for base, wrote in links:
        if base in by_base:
            problems.append(f"two successes were based on the same state {base!r}")
        by_base[base] = wrote
    walked, at = 0, start
    while at in by_base and walked <= len(links):
        at = by_base[at]
        walked += 1
    if at != final:
        problems.append(f"the chain of successes ends at {at!r}, but {final!r} is stored")
    return len(links) - walked, problems


# --- the kinds --------------------------------------------------------------------------------


def _plan_with_item(engine: Any) -> tuple[str, str, str]:
    from planner import services
    from planner.domain.playbook import Metric

    metric = Metric.model_validate(
        {
            "id": "members",
            "name": "Members",
            "unit": "people",
            "aggregation": "latest",
            "direction": "higher-is-better",
            "target": 10.0,
            "cadence": "monthly",
            "definition": "How many people take part in the month.",
            "framework": "community-health",
        }
    )
    plan = services.create_plan(engine, name="Eight writers", actor="setup", status="active")
    item = services.add_custom_item(
        engine,
        plan.id,
        title="Shared item",
        expected_version=1,
        actor="setup",
        metrics=[metric],
    )
    return plan.id, item.id, metric.id


class Readings:
    def setup(self, engine: Any) -> dict[str, Any]:
        plan_id, item_id, metric_id = _plan_with_item(engine)
        return {"plan": plan_id, "item": item_id, "metric": metric_id}

    def write(self, engine: Any, ctx: dict[str, Any], writer: int, n: int) -> Any:
        from planner.services import readings

        stored = readings.list_readings(engine, ctx["plan"], ctx["item"], ctx["metric"])
        base = stored[0].value if stored else None
        value = float(writer * 1_000_000 + n + 1)  # nobody else writes this value
        replace: Any = False
        if stored:
            replace = {(ctx["item"], ctx["metric"], stored[0].period): base}
        row = readings.ReadingInput(ctx["item"], ctx["metric"], DAY, value)
        readings.record_readings(engine, ctx["plan"], [row], actor=f"w{writer}", replace=replace)
        return (base, value)

    def check(self, engine: Any, ctx: dict[str, Any], links: list[Any]) -> tuple[int, list[str]]:
        from planner.services import readings

        stored = readings.list_readings(engine, ctx["plan"], ctx["item"], ctx["metric"])
        return _chain(links, None, stored[0].value if stored else None)


class Actions:
    def setup(self, engine: Any) -> dict[str, Any]:
        from planner.services import reviews

        plan_id, _, _ = _plan_with_item(engine)
        action = reviews.add_action(engine, plan_id, "Book the room", actor="setup")
        return {"plan": plan_id, "action": action.id, "start": _stamp(action.updated_at)}

    def _read(self, engine: Any, ctx: dict[str, Any]) -> Any:
        from planner.services import reviews

        return next(a for a in reviews.list_actions(engine, ctx["plan"]) if a.id == ctx["action"])

    def write(self, engine: Any, ctx: dict[str, Any], writer: int, n: int) -> Any:
        from planner.services import reviews

        seen = self._read(engine, ctx)
        status = "done" if seen.status == "open" else "open"
        new = reviews.set_action_status(
            engine, seen.id, status, actor=f"w{writer}", seen=seen.updated_at
        )
        return (_stamp(seen.updated_at), _stamp(new.updated_at))

    def check(self, engine: Any, ctx: dict[str, Any], links: list[Any]) -> tuple[int, list[str]]:
        from planner import services

        lost, problems = _chain(links, ctx["start"], _stamp(self._read(engine, ctx).updated_at))
        log = [
            e
            for e in services.activity_log(engine, ctx["plan"], limit=None)
            if e.entity_id == ctx["action"] and e.action == "update"
        ]
        if len(log) != len(links):
            problems.append(f"{len(log)} log entries for {len(links)} successes")
        return lost, problems


class Reviews(Actions):
    def write(self, engine: Any, ctx: dict[str, Any], writer: int, n: int) -> Any:
        from planner.services import reviews

        seen = self._read(engine, ctx)
        status = "done" if seen.status == "open" else "open"
        review = reviews.record_review(
            engine,
            ctx["plan"],
            date=DAY,
            attendees=[f"w{writer}"],
            notes=f"w{writer}-{n}",
            action_updates={seen.id: status},
            action_seen={seen.id: seen.updated_at},
            actor=f"w{writer}",
        )
        # The review stamps the action item with its own recorded_at.
        return (_stamp(seen.updated_at), _stamp(review.recorded_at), review.id)

    def check(self, engine: Any, ctx: dict[str, Any], links: list[Any]) -> tuple[int, list[str]]:
        from planner.services import reviews

        final = _stamp(self._read(engine, ctx).updated_at)
        lost, problems = _chain([(b, w) for b, w, _ in links], ctx["start"], final)
        stored = {r.id for r in reviews.list_reviews(engine, ctx["plan"])}
        missing = [r for _, _, r in links if r not in stored]
        if missing:
            problems.append(f"{len(missing)} successful reviews are not stored")
        return lost + len(missing), problems


class Stories:
    def setup(self, engine: Any) -> dict[str, Any]:
        from planner.services import stories

        plan_id, item_id, _ = _plan_with_item(engine)
        story = stories.add_story(
            engine,
            plan_id,
            item_id,
            title="First",
            text="What happened.",
            value_cycle="value-immediate",
            actor="setup",
        )
        return {"plan": plan_id, "story": story.id, "start": _stamp(story.recorded_at)}

    def _read(self, engine: Any, ctx: dict[str, Any]) -> Any:
        from planner.services import stories

        return next(s for s in stories.list_stories(engine, ctx["plan"]) if s.id == ctx["story"])

    def write(self, engine: Any, ctx: dict[str, Any], writer: int, n: int) -> Any:
        from planner.services import stories

        seen = self._read(engine, ctx)
        title = f"w{writer}-{n}"
        new = stories.update_story(
            engine, ctx["plan"], seen.id, title=title, actor=f"w{writer}", seen=seen.recorded_at
        )
        return (_stamp(seen.recorded_at), _stamp(new.recorded_at), title)

    def check(self, engine: Any, ctx: dict[str, Any], links: list[Any]) -> tuple[int, list[str]]:
        stored = self._read(engine, ctx)
        final = _stamp(stored.recorded_at)
        lost, problems = _chain([(b, w) for b, w, _ in links], ctx["start"], final)
        last = next((t for _, w, t in links if w == final), None)
        if links and last != stored.title:
            problems.append(f"the stored title {stored.title!r} is not the last success's")
        return lost, problems


class People:
    def setup(self, engine: Any) -> dict[str, Any]:
        from planner import services

        person = services.add_person(engine, name="Sam Lee", actor="setup")
        return {"person": person.id}

    def write(self, engine: Any, ctx: dict[str, Any], writer: int, n: int) -> Any:
        from planner import services

        opened = services.open_people(engine)
        base = opened.versions[ctx["person"]]
        role = f"w{writer}-{n}"
        services.update_people(
            engine,
            {ctx["person"]: {"role": role}},
            expected_versions={ctx["person"]: base},
            actor=f"w{writer}",
        )
        return (base, role)

    def check(self, engine: Any, ctx: dict[str, Any], links: list[Any]) -> tuple[int, list[str]]:
        from planner import services

        opened = services.open_people(engine)
        version = opened.versions[ctx["person"]]
        role = next(p.role for p in opened.people if p.id == ctx["person"])
        chain = {base: (base + 1, r) for base, r in links}
        lost, problems = _chain([(b, v) for b, (v, _) in chain.items()], 1, version)
        if len(chain) != len(links):
            problems.append("two successes were based on the same version")
            lost += len(links) - len(chain)
        if links and chain.get(version - 1, (None, None))[1] != role:
            problems.append(f"the stored role {role!r} is not the last success's")
        return lost, problems


class Imports:
    def setup(self, engine: Any) -> dict[str, Any]:
        from planner import services
        from planner.services import reviews
        from planner.services.bundles import export_bundle
        from planner.store import make_engine, migrate

        elsewhere_dir = tempfile.mkdtemp()
        elsewhere = make_engine(f"sqlite:///{elsewhere_dir}/elsewhere.db")
        migrate(elsewhere)
        plan_id, _, _ = _plan_with_item(elsewhere)
        owner = services.add_person(elsewhere, name="Ana Ortiz", actor="setup")
        reviews.add_action(elsewhere, plan_id, "Book the room", actor="setup", owner_id=owner.id)
        data = export_bundle(elsewhere, plan_id)
        elsewhere.dispose()
        before = {p.id for p in services.list_people(engine)}  # a --url database may have some
        return {"bundle": data, "plan": plan_id, "people_before": before}

    def write(self, engine: Any, ctx: dict[str, Any], writer: int, n: int) -> Any:
        from planner.services.bundles import import_bundle

        done = import_bundle(engine, ctx["bundle"], actor=f"w{writer}")
        return (done.plan.id, done.items)

    def check(self, engine: Any, ctx: dict[str, Any], links: list[Any]) -> tuple[int, list[str]]:
        from planner import services
        from planner.errors import NotFoundError

        problems: list[str] = []
        restored = [p for p, _ in links if p == ctx["plan"]]
        if links and len(restored) != 1:
            problems.append(f"{len(restored)} imports restored the bundle's ids (one expected)")
        lost = 0
        for plan_id, items in links:
            try:
                if len(services.get_items(engine, plan_id)) != items:
                    lost += 1
            except NotFoundError:  # not stored: lost
                lost += 1
        if len({p for p, _ in links}) != len(links):
            problems.append("two successful imports report the same plan")
        people = [p for p in services.list_people(engine) if p.id not in ctx["people_before"]]
        if links and len(people) != 1:
            problems.append(f"{len(people)} people created for the bundle's one owner")
        return lost, problems


class Xapi:
    ASKED = "http://adlnet.gov/expapi/verbs/asked"
    SPACE = "https://community.example.org/spaces/troubleshooting/q/"

    def setup(self, engine: Any) -> dict[str, Any]:
        import os

        from planner.exchange.playbooks import load_default_library
        from planner.services.sample import create_sample_plan

        os.environ.setdefault("PLANNER_PSEUDONYM_KEY", "bench-key-long-enough-to-be-a-real-secret")
        plan = create_sample_plan(
            engine, load_default_library(), actor="setup", today=dt.date(2026, 11, 28)
        )
        return {"plan": plan.id}

    def file(self, k: int) -> bytes:
        import json

        return json.dumps(
            [
                {
                    "id": f"00000000-0000-4000-8000-{k * 10 + j:012d}",
                    "actor": {"mbox": f"mailto:p{j % 4}@example.org"},
                    "verb": {"id": self.ASKED},
                    "object": {"id": f"{self.SPACE}{k}-{j}"},
                    "timestamp": "2026-12-15T10:00:00Z",
                }
                for j in range(10)
            ]
        ).encode()

    def write(self, engine: Any, ctx: dict[str, Any], writer: int, n: int) -> Any:
        import io

        from planner.services.adoption import import_xapi

        done = import_xapi(
            engine,
            ctx["plan"],
            [(f"lrs-{n}.json", io.BytesIO(self.file(n)))],
            actor=f"w{writer}",
            now=dt.datetime(2026, 12, 20, 12, tzinfo=dt.UTC),
        )
        return (n, done.summary.statements)

    def check(self, engine: Any, ctx: dict[str, Any], links: list[Any]) -> tuple[int, list[str]]:
        from planner.services import readings

        stored = sum(
            r.value
            for r in readings.list_readings(engine, ctx["plan"], metric_id="questions")
            if r.period == "2026-W51"
        )
        files = {k for k, _ in links}
        reported = sum(new for _, new in links)
        problems = []
        if reported != 10 * len(files):
            problems.append(f"successes report {reported} new statements of {len(files)} files")
        lost = max(0, 10 * len(files) - int(stored))
        if stored != 10 * len(files):
            problems.append(f"{stored:g} questions stored for {len(files)} files imported")
        return lost, problems


class PlanCsv:
    def setup(self, engine: Any) -> dict[str, Any]:
        from planner import services

        plan = services.create_plan(engine, name="Eight importers", actor="setup")
        return {"plan": plan.id}

    def write(self, engine: Any, ctx: dict[str, Any], writer: int, n: int) -> Any:
        from planner.services.plan_import import import_plan_csv

        titles = [f"w{writer}-{n}-a", f"w{writer}-{n}-b"]
        data = ("tactic,title\r\n" + "".join(f",{t}\r\n" for t in titles)).encode()
        import_plan_csv(
            engine, data, tactics={}, actor=f"w{writer}", plan_id=ctx["plan"], source="p.csv"
        )
        return titles

    def check(self, engine: Any, ctx: dict[str, Any], links: list[Any]) -> tuple[int, list[str]]:
        from planner import services

        opened = services.open_plan(engine, ctx["plan"])
        titles = {i.title for i in opened.items}
        lost = sum(1 for pair in links if not set(pair) <= titles)
        problems = []
        positions = [i.position for i in opened.items]
        if len(set(positions)) != len(positions):
            problems.append("two items share a position")
        if opened.plan.version != 1 + len(links):
            problems.append(f"version {opened.plan.version} after {len(links)} imports")
        return lost, problems


SPECS: dict[str, Callable[[], Any]] = {
    "readings": Readings,
    "actions": Actions,
    "reviews": Reviews,
    "stories": Stories,
    "people": People,
    "imports": Imports,
    "xapi": Xapi,
    "plancsv": PlanCsv,
}


def _writer(
    url: str, kind: Any, ctx: dict[str, Any], writer: int, until: float, tally: Tally
) -> None:
    from planner.domain.readings import ReadingsExistError
    from planner.errors import BusyError, ConflictError
    from planner.store import make_engine

    engine = make_engine(url)
    n = 0
    try:
        while time.monotonic() < until:
            n += 1
            tally.attempts += 1
            try:
                tally.successes.append(kind.write(engine, ctx, writer, n))
            except (ConflictError, ReadingsExistError):
                tally.conflicts += 1
            except BusyError:
                tally.busy += 1
    except Exception as exc:  # reported, not swallowed: the run fails
        tally.errors.append(f"writer {writer}: {exc!r}")
    finally:
        engine.dispose()


def run_kind(url: str, kind_name: str, *, writers: int = 8, seconds: float = 30.0) -> Report:
    """Run `writers` writers of one kind against fresh data in the (migrated) database at `url`."""
    from planner.store import make_engine, migrate

    engine = make_engine(url)
    migrate(engine)
    kind = SPECS[kind_name]()
    ctx = kind.setup(engine)
    tallies = [Tally() for _ in range(writers)]
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=_writer, args=(url, kind, ctx, k, until, tallies[k]))
        for k in range(writers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    problems = [e for t in tallies for e in t.errors]
    successes = [s for t in tallies for s in t.successes]
    lost, found = kind.check(engine, ctx, successes)
    engine.dispose()
    return Report(
        kind_name,
        writers,
        seconds,
        sum(t.attempts for t in tallies),
        len(successes),
        sum(t.conflicts for t in tallies),
        sum(t.busy for t in tallies),
        lost + (1 if found and not lost else 0),
        problems + found,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="database URL (default: SQLite in a temporary folder)")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--small", action="store_true", help="2 s per kind")
    parser.add_argument("--kind", choices=KINDS, action="append", help="one kind (repeatable)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    seconds = 2.0 if args.small else args.seconds
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for kind in args.kind or KINDS:
            url = args.url or f"sqlite:///{Path(tmp) / f'{kind}.db'}"
            report = run_kind(url, kind, writers=args.writers, seconds=seconds)
            print(report, flush=True)
            for problem in report.problems[:10]:
                print(f"  problem: {problem}")
            failed = failed or report.lost > 0 or bool(report.problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
