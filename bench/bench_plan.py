"""Plan pages at scale: a plan of 2,000 items and 300 people against one of 20 items and 6.

Prints, as ratios measured in the same run (minimum of several runs each):
- the schedule computation per item (`compute_schedule`, linear scaling): bound 3x;
- the rerun of the Plan and Schedule pages in AppTest, default view, caches warm: bound 3x;
and, for information, the whole schedule computation (2,000 vs 20 items), which is linear in
the plan and therefore about 100x: the pages cache it per change, so reruns do not pay it.
Exits 1 when a bounded ratio is over its bound. `--small` (200 items vs 20, 1 run) only checks
that the benchmark works.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BOUND = 3.0


def best_of(runs: int, fn: Callable[[], Any]) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def build(folder: Path, items: int, people: int) -> tuple[str, str]:
    from planner import services
    from planner.exchange.playbooks import load_default_library
    from planner.store import make_engine, migrate

    tactics = list(load_default_library().tactics.values())
    url = f"sqlite:///{folder / 'bench.db'}"
    engine = make_engine(url)
    migrate(engine)
    staff = [
        services.add_person(
            engine, name=f"Person {i:03d}", actor="bench", capacity_hours_per_week=6
        )
        for i in range(people)
    ]
    plan = services.create_plan(engine, name="Bench", actor="bench", status="active")
    version = plan.version
    for start in range(0, items, 500):
        chunk = [tactics[i % len(tactics)] for i in range(start, min(items, start + 500))]
        services.add_tactic_items(
            engine,
            plan.id,
            chunk,
            owner_id=staff[(start // 500) % len(staff)].id,
            expected_version=version,
            actor="bench",
        )
        version += 1
    engine.dispose()
    return url, plan.id


def measure(url: str, plan_id: str, runs: int) -> dict[str, float]:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    from planner import services
    from planner.domain.schedule import compute_schedule
    from planner.store import make_engine

    # As a live server after its first request: every run goes through app.py (see ui/shell).
    original = PagesManager.__init__

    def init(self: PagesManager, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init  # type: ignore[method-assign]
    os.environ["PLANNER_DATABASE_URL"] = url
    engine = make_engine(url)
    planned = services.plan_schedule(engine, plan_id)
    out = {
        "compute": best_of(
            runs,
            lambda: compute_schedule(planned.plan.start_date, planned.schedule_items),
        ),
        "items": float(len(planned.items)),
    }
    for page in ("plan", "schedule"):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300).run()
        at.switch_page(f"pages/{page}.py").run()
        if at.exception:
            raise SystemExit(f"{page} page failed: {at.exception}")
        at.run()  # caches warm
        out[f"{page}_page"] = best_of(runs, at.run)
    engine.dispose()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, allow_abbrev=False)
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    big_items, big_people, runs = (200, 30, 1) if args.small else (2000, 300, args.runs)
    os.chdir(ROOT)
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        small = measure(*build(Path(a), 20, 6), runs)
        large = measure(*build(Path(b), big_items, big_people), runs)
    per_item = (large["compute"] / large["items"]) / (small["compute"] / small["items"])
    ratios = {
        "schedule per item": per_item,
        "Plan page rerun": large["plan_page"] / small["plan_page"],
        "Schedule page rerun": large["schedule_page"] / small["schedule_page"],
    }
    print(f"plan pages: {big_items:,} items / {big_people} people vs 20 items / 6 people")
    print(
        f"  schedule computation: {large['compute'] * 1000:.1f} ms vs "
        f"{small['compute'] * 1000:.2f} ms = {large['compute'] / small['compute']:.0f}x in all; "
        f"{per_item:.2f}x per item (bound {BOUND}x)"
    )
    for label, key in (("Plan page rerun", "plan_page"), ("Schedule page rerun", "schedule_page")):
        print(
            f"  {label}: {large[key] * 1000:.0f} ms vs {small[key] * 1000:.0f} ms = "
            f"{ratios[label]:.2f}x (bound {BOUND}x)"
        )
    over = {k: round(v, 2) for k, v in ratios.items() if v > BOUND}
    if over and not args.small:
        print(f"FAIL: over the bound: {over}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
