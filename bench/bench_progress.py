"""The Progress page with 200,000 readings against the same plan with 2,000 readings.

A plan of 2,000 items, each with the tactic's weekly metric, in SQLite. The small database has
one reading per item, the large one a hundred (two years of weeks). Prints, minimum of several
runs each, measured in the same run:
- the rerun of the Progress page in AppTest, default view, caches warm: bound 1.5x;
- the cold first load of the page (a new session, empty caches), for information.
Exits 1 when the bounded ratio is over its bound. `--small` (20,000 vs 2,000 readings, one run)
only checks that the benchmark works.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BOUND = 1.5
ITEMS = 2000
AS_OF = date(2027, 6, 30)


def best_of(runs: int, fn: Callable[[], Any]) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def build(folder: Path, per_item: int, items_count: int = ITEMS) -> str:
    from sqlalchemy import insert

    from planner import services
    from planner.domain.periods import period_of
    from planner.domain.playbook import Metric
    from planner.store import READINGS, make_engine, migrate

    url = f"sqlite:///{folder / 'bench.db'}"
    engine = make_engine(url)
    migrate(engine)
    plan = services.create_plan(
        engine, name="Bench", actor="bench", status="active", start_date=date(2025, 7, 7)
    )
    metric = Metric(
        id="participants",
        name="Participants",
        unit="sessions",
        aggregation="sum",
        direction="higher",
        target=500,
        cadence="weekly",
        definition="Count the sessions held in the week by this item's group.",
        framework="value-immediate",
    )
    version = plan.version
    for _ in range(items_count):
        services.add_custom_item(
            engine,
            plan.id,
            title="Peer circle",
            duration_weeks=104,
            metrics=[metric],
            expected_version=version,
            actor="bench",
        )
        version += 1
    items = services.get_items(engine, plan.id)
    first = date(2025, 7, 7)
    now = datetime.now(UTC)
    rows = []
    for item in items:
        for week in range(per_item):
            day = first + timedelta(weeks=week, days=2)
            period = period_of(day, "weekly")
            rows.append(
                {
                    "item_id": item.id,
                    "metric_id": "participants",
                    "period": period.key,
                    "period_start": period.start,
                    "date": day,
                    "value": float(week % 7),
                    "source": "csv",
                    "note": "",
                    "recorded_by": "bench",
                    "recorded_at": now,
                }
            )
    with engine.begin() as conn:
        for start in range(0, len(rows), 20_000):
            conn.execute(insert(READINGS), rows[start : start + 20_000])
    # A write through the services, so the change stamp covers the readings.
    services.update_plan(engine, plan.id, description="bench", expected_version=version, actor="b")
    engine.dispose()
    return url


def measure(url: str, runs: int) -> tuple[float, float]:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    original = PagesManager.__init__

    def init(self: PagesManager, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init  # type: ignore[method-assign]
    os.environ["PLANNER_DATABASE_URL"] = url

    def open_page() -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300).run()
        at.switch_page("pages/progress.py").run()
        if at.exception:
            raise SystemExit(f"progress page failed: {at.exception}")
        at.date_input(key="progress.as_of").set_value(AS_OF).run()
        return at

    started = time.perf_counter()
    at = open_page()
    cold = time.perf_counter() - started
    at.run()
    return best_of(runs, at.run), cold


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, allow_abbrev=False)
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    many, runs, items = (10, 1, 100) if args.small else (100, args.runs, ITEMS)
    os.chdir(ROOT)
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        few_url, many_url = build(Path(a), 1, items), build(Path(b), many, items)
        few_warm, few_cold = measure(few_url, runs)
        many_warm, many_cold = measure(many_url, runs)
    ratio = many_warm / few_warm
    print(
        f"progress page: {items * many:,} vs {items:,} readings ({items:,} items): rerun, "
        f"caches warm, {many_warm * 1000:.0f} ms vs {few_warm * 1000:.0f} ms = {ratio:.2f}x "
        f"(bound {BOUND}x); cold first load {many_cold:.2f} s vs {few_cold:.2f} s"
    )
    if ratio > BOUND and not args.small:
        print(f"FAIL: ratio {ratio:.2f} is over the bound {BOUND}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
