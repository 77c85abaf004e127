"""The review CSV of a 2,000-item plan, database read included, against `DataFrame.to_csv`.

The plan lives in a temporary SQLite database: 2,000 items following 40 tactics with one to
three metrics each (chained by prerequisites, so the schedule has work to do), a few custom
items, owners, notes and pinned starts. Ours: `export_review_csv` (read, schedule, neutralise,
write the bytes). Baseline: `DataFrame.to_csv` of the same rows already in memory (dates as
dates, targets as numbers). Prints the ratio (minimum of several runs each, taken in turns in
the same run) and exits 1 when it is over the bound. `--small` runs a 50-item plan once to keep
the benchmark working in the tests.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from planner import services
from planner.domain.planning import ItemChange
from planner.domain.playbook import Metric, Tactic
from planner.services.reports import export_review_csv
from planner.store import make_engine, migrate

BOUND = 2.0
ACTOR = "Benchmark"
AS_OF = date(2027, 3, 1)


def metric(n: int) -> dict[str, Any]:
    return {
        "id": f"metric-{n}",
        "name": f"Generated metric {n}",
        "unit": "people",
        "aggregation": "latest",
        "direction": "higher-is-better",
        "target": 10.0 + n,
        "cadence": "monthly",
        "definition": "How many people took part in the activity during the month.",
        "framework": "community-health",
    }


def tactic(k: int) -> Tactic:
    return Tactic.model_validate(
        {
            "id": f"gen-{k:02d}",
            "title": f"Generated tactic {k}",
            "summary": "A generated tactic used to measure the review CSV export.",
            "category": ("community", "coaching", "networks", "content")[k % 4],
            "purposes": ["share-knowledge"],
            "practices": ["peer-learning"],
            "audiences": ["employees"],
            "owner_role": "facilitator",
            "effort_hours_per_week": 1.5,
            "duration_weeks": 2 + k % 6,
            "prerequisites": [f"gen-{k - 1:02d}"] if k % 5 else [],
            "steps": [{"week": w, "text": f"Step {w}"} for w in range(3)],
            "metrics": [metric(m) for m in range(1 + k % 3)],
            "references": [{"title": "Communities of practice", "year": 1998}],
        }
    )


def build_plan(url: str, items: int) -> str:
    engine = make_engine(url)
    migrate(engine)
    people = [
        services.add_person(engine, name=f"Person {n:03d}", actor=ACTOR, team=f"Team {n % 12}")
        for n in range(50)
    ]
    plan = services.create_plan(
        engine, name="Benchmark plan", actor=ACTOR, start_date=date(2027, 1, 4)
    )
    tactics = [tactic(k) for k in range(40)]
    custom = max(1, items // 100)
    added = services.add_tactic_items(
        engine,
        plan.id,
        [tactics[n % len(tactics)] for n in range(items - custom)],
        expected_version=1,
        actor=ACTOR,
        team="Support",
    )
    version = 2
    for n in range(custom):
        services.add_custom_item(
            engine,
            plan.id,
            title=f"=Custom item {n}",
            expected_version=version,
            actor=ACTOR,
            metrics=[Metric.model_validate(metric(m)) for m in range(1 + n % 3)],
        )
        version += 1
    changes = [
        ItemChange(
            item.id,
            {
                "owner_id": people[n % len(people)].id,
                "notes": f"Notes for item {n}, with a comma" if n % 3 else "",
                "status": ("planned", "in progress", "done")[n % 3],
                **({"pinned_start": date(2027, 2, 1)} if n % 97 == 0 else {}),
            },
        )
        for n, item in enumerate(added)
    ]
    services.update_items(engine, plan.id, changes, expected_version=version, actor=ACTOR)
    engine.dispose()
    return plan.id


def best_of_each(
    runs: int, ours: Callable[[], object], baseline: Callable[[], object]
) -> tuple[float, float]:
    """Minimum time of each over `runs` runs, taken in turns so both see the same machine load."""
    best = [float("inf"), float("inf")]
    for _ in range(runs):
        for k, fn in enumerate((ours, baseline)):
            started = time.perf_counter()
            fn()
            best[k] = min(best[k], time.perf_counter() - started)
    return best[0], best[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, allow_abbrev=False)
    parser.add_argument("--small", action="store_true", help="50 items, one run, no bound")
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    count, runs = (50, 1) if args.small else (args.items, args.runs)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        plan_id = build_plan(url, count)
        engine = make_engine(url)
        data = export_review_csv(engine, plan_id, as_of=AS_OF)  # warm the engine's pool
        table = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
        header, rows = table[0], table[1:]
        # The same rows as data: dates as dates, numbers as numbers, text as text.
        frame = pd.DataFrame(rows, columns=header)
        frame["last reading"] = [
            date.fromisoformat(d) if d else None for d in frame["last reading"]
        ]
        for column in ("start", "end"):
            frame[column] = [date.fromisoformat(d) for d in frame[column]]
        for column in ("target", "expected", "progress", "stories"):
            frame[column] = pd.to_numeric(frame[column])

        def baseline() -> None:
            frame.to_csv(index=False)

        def ours() -> None:
            export_review_csv(engine, plan_id, as_of=AS_OF)

        ours_s, base_s = best_of_each(runs, ours, baseline)
        engine.dispose()
    ratio = ours_s / base_s
    print(
        f"review csv: {count:,} items, {len(rows):,} rows: export (read included) "
        f"{ours_s * 1000:.1f} ms vs DataFrame.to_csv {base_s * 1000:.1f} ms = {ratio:.2f}x "
        f"(bound {BOUND}x)"
    )
    if not args.small and ratio > BOUND:
        print(f"FAIL: ratio {ratio:.2f} is over the bound {BOUND}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
