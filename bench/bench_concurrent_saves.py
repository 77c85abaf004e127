"""Eight people saving the same plan item at once: no "successful" save may be lost.

Each writer has its own engine (its own connections) and loops for a fixed time: open the plan,
pick a new value for one shared item's notes (from a small set, so writers often pick what
another just saved), and save it based on the version it opened. A save either succeeds or is
refused with a ConflictError. On SQLite a save can also be refused
as busy (BusyError: the database stayed locked past its busy timeout; nothing written), which
is not a lost save. Afterwards the plan's activity log must hold every success: the
writer, the value, and the version one past the version the save was based on; versions go up
by exactly one per success and no two successes share a base version. Anything else is a lost
save. Prints attempts, successes, conflicts and lost saves; exits 1 if any save was lost.

    python bench/bench_concurrent_saves.py                 # SQLite in a temp folder, 30 s
    python bench/bench_concurrent_saves.py --url postgresql+psycopg://user@host/db
    python bench/bench_concurrent_saves.py --small         # 2 s, to check that it works
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VALUES = ("red", "green", "blue")


@dataclass
class Tally:
    attempts: int = 0
    conflicts: int = 0
    busy: int = 0  # SQLite: refused after the busy timeout, nothing written (not lost)
    successes: list[tuple[str, int, str]] = field(default_factory=list)  # writer, base, value
    errors: list[str] = field(default_factory=list)


@dataclass
class Report:
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
            f"{self.writers} writers for {self.seconds:.0f} s: {self.attempts:,} saves tried, "
            f"{self.successes:,} succeeded, {self.conflicts:,} refused as conflicts, "
            f"{self.busy:,} refused as busy, {self.lost:,} lost"
        )


def _writer(url: str, plan_id: str, item_id: str, name: str, until: float, tally: Tally) -> None:
    from planner import services
    from planner.domain.planning import ItemChange
    from planner.errors import BusyError, ConflictError
    from planner.store import make_engine

    engine = make_engine(url)
    n = 0
    try:
        while time.monotonic() < until:
            view = services.open_plan(engine, plan_id)
            current = next(i for i in view.items if i.id == item_id).notes
            value = next(v for v in VALUES[n % 3 :] + VALUES if v != current)
            n += 1
            tally.attempts += 1
            try:
                changed = services.update_items(
                    engine,
                    plan_id,
                    [ItemChange(item_id, {"notes": value})],
                    expected_version=view.plan.version,
                    actor=name,
                )
            except ConflictError:
                tally.conflicts += 1
                continue
            except BusyError:
                tally.busy += 1
                continue
            # The value differs from the one at the base version, so a success that changed
            # nothing was applied to some other version than the one it was based on.
            tally.successes.append((name, view.plan.version, value if changed else "(nothing)"))
    except Exception as exc:  # reported, not swallowed: the run fails
        tally.errors.append(f"{name}: {exc!r}")
    finally:
        engine.dispose()


def run_writers(url: str, *, writers: int = 8, seconds: float = 30.0) -> Report:
    """Run the writers against a fresh plan in the (migrated) database at `url`."""
    from planner import services
    from planner.store import make_engine, migrate

    engine = make_engine(url)
    migrate(engine)
    plan = services.create_plan(engine, name="Eight writers", actor="setup")
    item = services.add_custom_item(
        engine, plan.id, title="Shared item", expected_version=1, actor="setup"
    )
    start_version = services.get_plan(engine, plan.id).version
    tallies = [Tally() for _ in range(writers)]
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=_writer, args=(url, plan.id, item.id, f"writer-{k}", until, tallies[k])
        )
        for k in range(writers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    problems = [e for t in tallies for e in t.errors]
    successes = [s for t in tallies for s in t.successes]
    log = [
        e
        for e in services.activity_log(engine, plan.id, limit=None)
        if e.entity_id == item.id and e.action == "update"
    ]
    recorded = {(e.actor, (e.version or 0) - 1, (e.after or {}).get("notes")) for e in log}
    lost = [s for s in successes if s not in recorded]
    bases = [base for _, base, _ in successes]
    if len(set(bases)) != len(bases):
        problems.append("two successful saves were based on the same version")
    versions = sorted(e.version or 0 for e in log)
    if versions != list(range(start_version + 1, start_version + 1 + len(versions))):
        problems.append("the versions in the log do not go up by one per save")
    final = services.get_plan(engine, plan.id).version
    if final != start_version + len(successes) - len(lost):
        problems.append(f"the plan is at version {final} after {len(successes)} successes")
    engine.dispose()
    return Report(
        writers=writers,
        seconds=seconds,
        attempts=sum(t.attempts for t in tallies),
        successes=len(successes),
        conflicts=sum(t.conflicts for t in tallies),
        busy=sum(t.busy for t in tallies),
        lost=len(lost),
        problems=problems,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, allow_abbrev=False)
    parser.add_argument("--small", action="store_true", help="2 s instead of 30 s")
    parser.add_argument("--url", help="a database URL (default: SQLite in a temp folder)")
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--seconds", type=float)
    args = parser.parse_args()
    seconds = args.seconds or (2.0 if args.small else 30.0)
    sys.path.insert(0, str(ROOT / "src"))
    with tempfile.TemporaryDirectory() as folder:
        url = args.url or f"sqlite:///{Path(folder) / 'planner.db'}"
        report = run_writers(url, writers=args.writers, seconds=seconds)
    print(report)
    for problem in report.problems:
        print(f"  problem: {problem}")
    return 1 if report.lost or report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
