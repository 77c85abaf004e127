"""xAPI import of 200,000 statements against bare `json.loads` of the same file.

Ours: `aggregate` over the file (parse, validate, map against the shipped sample mapping and the
sample plan's items, pseudonymise, count; no database). Baseline: reading the file and
`json.loads` of it: the whole array at once for a JSON array, line by line for JSON lines.
The statements are realistic (about 450 bytes: id, actor with name and mbox, verb with display,
activity with its type, timestamp, stored), across the sample community's spaces, with a
few without an id, a few voided (voids first, as an LRS lists them) and a few opted out.

Prints, for each shape, the ratio (minimum of several runs each, taken in turns) and the peak
memory of the import, measured in a fresh process (growth of the resident high-water mark once
the modules and the mapping are loaded), beside the file's size and the baseline's own peak.
Exits 1 when a ratio is over the bound. `--small` runs 2,000 statements once, without the bound
or json.loads' peak, to keep the benchmark working in the tests.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from planner.domain.planning import PlanItem, item_from_tactic
from planner.domain.privacy import person_hash
from planner.exchange.playbooks import BUILTIN_DIR, load_library
from planner.exchange.xapi import VOIDED, XapiBatch, aggregate
from planner.exchange.xapi_mapping import SAMPLE_MAPPING, Mapping, load_mapping
from planner.services.sample import ITEMS

BOUND = 4.0
KEY = b"benchmark key, not a secret, 32+"
NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
ADL = "http://adlnet.gov/expapi/verbs/"
VERBS = [
    (ADL + "asked", 30),
    (ADL + "answered", 25),
    (ADL + "commented", 20),
    (ADL + "attended", 8),
    (ADL + "experienced", 7),
    (ADL + "shared", 5),
    ("http://activitystrea.ms/schema/1.0/join", 2),
    ("http://id.tincanapi.com/verb/viewed", 3),  # no rule maps it
]
SPACES = ["troubleshooting", "troubleshooting", "troubleshooting", "ask-an-expert", "billing"]
PEOPLE = 400


def sample_items() -> list[PlanItem]:
    library = load_library([BUILTIN_DIR])
    return [
        item_from_tactic(library.tactic(spec.tactic_id), plan_id="pl", position=i)
        for i, spec in enumerate(ITEMS)
    ]


def sample_mapping() -> Mapping:
    return load_mapping(SAMPLE_MAPPING, sample_items())


def statements(count: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    verbs = [v for v, w in VERBS for _ in range(w)]
    start = datetime(2027, 1, 4, tzinfo=UTC)
    made: list[dict[str, Any]] = []
    for n in range(count):
        person = rng.randrange(PEOPLE)
        verb = rng.choice(verbs)
        space = rng.choice(SPACES)
        when = start + timedelta(seconds=rng.randrange(0, 56 * 86400))
        stmt: dict[str, Any] = {
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "actor": {
                "objectType": "Agent",
                "name": f"Support Agent {person}",
                "mbox": f"mailto:agent.{person}@support.example.org",
            },
            "verb": {"id": verb, "display": {"en-US": verb.rsplit("/", 1)[-1]}},
            "object": {
                "objectType": "Activity",
                "id": f"https://community.example.org/spaces/{space}/threads/{n // 3}",
                "definition": {"type": "http://id.tincanapi.com/activitytype/discussion"},
            },
            "timestamp": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "stored": (when + timedelta(seconds=2)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        if n % 50 == 7:
            del stmt["id"]  # counted by content hash
        if n % 500 == 11 and made and "id" in made[-1]:
            # The LRS lists the newest first: the void comes before what it voids.
            target = made.pop()
            made.append(
                {
                    "id": str(uuid.uuid4()),
                    "actor": stmt["actor"],
                    "verb": {"id": VOIDED, "display": {"en-US": "voided"}},
                    "object": {"objectType": "StatementRef", "id": target["id"]},
                    "timestamp": stmt["timestamp"],
                }
            )
            made.append(target)
        made.append(stmt)
    return made[:count]


def write(path: Path, stmts: list[dict[str, Any]], shape: str) -> None:
    with path.open("w", encoding="utf-8") as out:
        if shape == "lines":
            for stmt in stmts:
                out.write(json.dumps(stmt) + "\n")
        else:
            out.write("[\n" + ",\n".join(json.dumps(s) for s in stmts) + "\n]\n")


def import_file(path: Path, mapping: Mapping, opt_out: set[str]) -> XapiBatch:
    with path.open("rb") as stream:
        return aggregate([(path.name, stream)], mapping, key=KEY, opt_out_hashes=opt_out, now=NOW)


def bare_loads(path: Path, shape: str) -> None:
    if shape == "lines":
        loads = json.loads
        with path.open("rb") as stream:
            for line in stream:
                loads(line)
    else:
        json.loads(path.read_bytes())


def without_gc(fn: Callable[..., object], *args: object) -> None:
    gc.disable()
    try:
        fn(*args)
    finally:
        gc.enable()


def best_of_each(runs: int, *fns: Callable[[], object]) -> list[float]:
    best = [float("inf")] * len(fns)
    for _ in range(runs):
        for i, fn in enumerate(fns):
            gc.collect()
            started = time.perf_counter()
            fn()
            best[i] = min(best[i], time.perf_counter() - started)
    return best


def peak_growth(path: Path, shape: str, what: str) -> int:
    """Peak resident memory a fresh process gains doing `what` to the file, in bytes."""
    script = Path(__file__).resolve()
    out = subprocess.run(
        [sys.executable, str(script), "--measure", what, str(path), shape],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(out.stdout.strip())


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def measure(what: str, path: Path, shape: str) -> None:
    """Print the peak resident memory that importing (or json.loads of) the file adds."""
    mapping = sample_mapping()
    opt_out = {person_hash("agent.13@support.example.org", KEY)}
    gc.collect()
    try:
        # Reset the high-water mark, so the peak is this work's and not loading the library's.
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
        before = _status_kb("VmRSS")
    except OSError:  # not Linux: the process's peak so far, which can hide a smaller one
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if what == "import":
        import_file(path, mapping, opt_out)
    else:
        bare_loads(path, shape)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with contextlib.suppress(OSError, RuntimeError):
        after = _status_kb("VmHWM")
    print(max(0, after - before) * 1024)


def mb(n: float) -> str:
    return f"{n / 1024 / 1024:,.1f} MB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, allow_abbrev=False)
    parser.add_argument("--small", action="store_true", help="2,000 statements, one run, no bound")
    parser.add_argument("--statements", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--measure", nargs=3, metavar=("WHAT", "FILE", "SHAPE"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.measure:
        measure(args.measure[0], Path(args.measure[1]), args.measure[2])
        return 0
    count, runs = (2_000, 1) if args.small else (args.statements, args.runs)
    mapping = sample_mapping()
    opt_out = {person_hash("agent.13@support.example.org", KEY)}
    stmts = statements(count)
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for shape in ("array", "lines"):
            path = Path(tmp) / f"statements.{'jsonl' if shape == 'lines' else 'json'}"
            write(path, stmts, shape)
            size = path.stat().st_size
            batch = import_file(path, mapping, opt_out)
            report = batch.report
            ours_s, base_s, quiet_s = best_of_each(
                runs,
                lambda p=path: import_file(p, mapping, opt_out),  # type: ignore[misc]
                lambda p=path, s=shape: bare_loads(p, s),  # type: ignore[misc]
                lambda p=path, s=shape: without_gc(bare_loads, p, s),  # type: ignore[misc]
            )
            ratio = ours_s / base_s
            ours_peak = peak_growth(path, shape, "import")
            # At --small, json.loads' peak is not measured: a fresh process each costs a second.
            base = "" if args.small else f"; json.loads +{mb(peak_growth(path, shape, 'loads'))}"
            print(
                f"xapi import, {shape:5s}: {count:,} statements, {mb(size)} "
                f"({size / count:,.0f} bytes each): aggregate {ours_s:.2f} s vs json.loads "
                f"{base_s:.2f} s = {ratio:.2f}x (bound {BOUND}x); peak memory +{mb(ours_peak)} "
                f"({ours_peak / size:.0%} of the file{base})"
            )
            # Part of json.loads' time on a whole array is the garbage collector walking the
            # growing list of statements; said here so the ratio is read for what it is.
            print(
                f"  json.loads with the garbage collector off: {quiet_s:.2f} s "
                f"(ratio {ours_s / quiet_s:.2f}x, not bounded)"
            )
            print(
                f"  mapped {report.total('mapped'):,}, unmapped {report.total('unmapped'):,}, "
                f"voided {report.total('voided'):,}, opted out {report.total('opted_out'):,}, "
                f"invalid {report.invalid_count:,}; {len(batch.counts)} counts, "
                f"{len(batch.people)} people sets, {len(batch.statement_ids):,} keys"
            )
            if not args.small and ratio > BOUND:
                print(f"FAIL: {shape} ratio {ratio:.2f} is over the bound {BOUND}", file=sys.stderr)
                failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
