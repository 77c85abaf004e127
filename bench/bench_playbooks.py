"""Loading and validating 1,000 tactics against bare `yaml.load(CSafeLoader)` of the same files,
and searching them (typos forgiven, ranked) against a bare substring scan of the same text.

Prints the ratio (minimum of several runs each, measured in the same run) and exits 1 when it is
over the bound. `--small` runs a tiny library once to keep the benchmark working in the tests.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from planner.domain.catalog import TacticFilter, build_index, find
from planner.exchange.playbooks import Library, load_library

BOUND = 2.0
SEARCH_BOUND = 3.0
"""Search with its index (built once per library) against scanning the text for each word."""
SEARCH_MS = 50.0
"""And in absolute terms: a search must answer within a keystroke's time."""
QUERIES = ("communty of practis", "meet the group", "generated tactic 500", "zzzqqq")


def tactic_yaml(i: int) -> str:
    prereq = f"[gen-{i - 1:04d}]" if i % 10 else "[]"
    steps = "".join(
        f'      - {{week: {w}, text: "Step {w} of generated tactic {i}: meet the group and agree '
        f'what to try next week."}}\n'
        for w in range(5)
    )
    metrics = "".join(
        f"""      - id: metric-{m}
        name: Generated metric {m}
        unit: people
        aggregation: sum
        direction: higher
        target: {10 + m}
        cadence: weekly
        definition: Count the people who took part in the activity during the week.
        framework: kirkpatrick-1
"""
        for m in range(2)
    )
    return f"""  - id: gen-{i:04d}
    title: Generated tactic {i}
    summary: A generated tactic used to measure how fast playbooks load and validate.
    category: community
    purposes: [orient-technical, build-proficiency]
    practices: [pln, communities-of-practice]
    audiences: [employees]
    owner_role: ld-partner
    effort_hours_per_week: 2
    duration_weeks: 8
    prerequisites: {prereq}
    steps:
{steps}    metrics:
{metrics}    references:
      - title: Cultivating Communities of Practice
        author: Wenger, McDermott & Snyder
        year: 2002
"""


def generate(folder: Path, tactics: int, per_file: int = 100) -> list[Path]:
    files = []
    for start in range(0, tactics, per_file):
        path = folder / f"gen-{start // per_file:03d}.yaml"
        body = "title: Generated\ntactics:\n" + "".join(
            tactic_yaml(i) for i in range(start, min(tactics, start + per_file))
        )
        path.write_text(body, encoding="utf-8")
        files.append(path)
    return files


def best_of(runs: int, fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, allow_abbrev=False)
    parser.add_argument("--small", action="store_true", help="50 tactics, one run, no bound")
    parser.add_argument("--tactics", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    count, runs = (50, 1) if args.small else (args.tactics, args.runs)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = generate(folder, count)
        size_kb = sum(f.stat().st_size for f in files) / 1024

        def bare() -> None:
            for f in files:
                yaml.load(f.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)

        def planner_load() -> None:
            lib = load_library([folder])
            assert not lib.problems, lib.problems[:3]
            assert len(lib.tactics) == count

        planner_load()  # warm imports and the file cache for both
        baseline = best_of(runs, bare)
        ours = best_of(runs, planner_load)
        lib = load_library([folder])
    ratio = ours / baseline
    print(
        f"playbooks: {count} tactics in {len(files)} files ({size_kb:,.0f} KB): "
        f"load+validate {ours * 1000:.0f} ms vs yaml.load(CSafeLoader) {baseline * 1000:.0f} ms "
        f"= {ratio:.2f}x (bound {BOUND}x)"
    )
    failed = not args.small and ratio > BOUND
    if failed:
        print(f"FAIL: ratio {ratio:.2f} is over the bound {BOUND}", file=sys.stderr)
    return 1 if search_case(lib, runs, small=args.small) or failed else 0


def search_case(lib: Library, runs: int, *, small: bool) -> bool:
    """True when the search is over its bounds."""
    started = time.perf_counter()
    index = build_index(lib)
    built = time.perf_counter() - started

    def scan() -> None:  # what the page did before: every word a substring of the text
        for query in QUERIES:
            words = query.lower().split()
            for t in lib.tactics.values():
                hay = "\n".join([t.id, t.title, t.summary, *(s.text for s in t.steps)]).lower()
                all(w in hay for w in words)

    def search() -> None:
        for query in QUERIES:
            find(lib, TacticFilter(text=query), index)

    search()
    baseline = best_of(runs, scan) / len(QUERIES)
    ours = best_of(runs, search) / len(QUERIES)
    ratio = ours / baseline
    print(
        f"search: {len(lib.tactics)} tactics, index built once in {built * 1000:.0f} ms; "
        f"a search {ours * 1000:.1f} ms vs a substring scan {baseline * 1000:.1f} ms "
        f"= {ratio:.2f}x (bounds {SEARCH_BOUND}x and {SEARCH_MS:.0f} ms)"
    )
    if small:
        return False
    over = ratio > SEARCH_BOUND or ours * 1000 > SEARCH_MS
    if over:
        print(f"FAIL: search {ratio:.2f}x, {ours * 1000:.1f} ms is over a bound", file=sys.stderr)
    return over


if __name__ == "__main__":
    raise SystemExit(main())
