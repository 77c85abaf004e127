"""Each limit of planner.domain.limits crossed, and the faults it turns into messages (the corpus in
tests/integration/test_bad_inputs.py crosses them through the command line as well)."""

from __future__ import annotations

import errno
import json
import random
import re
import sqlite3
import tomllib
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from planner.domain import limits, output_files
from planner.domain.limits import (
    MAX_JSON_DEPTH,
    JsonDepthGuard,
    LimitError,
    check_day,
    csv_records,
    json_depth_problem,
)
from planner.domain.output_files import WriteFailedError, disk_full_message, write_atomically
from planner.exchange.xapi_matching import _glob

ROOT = Path(__file__).resolve().parents[2]


def test_the_upload_limit_is_the_one_streamlit_is_configured_with() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == limits.UPLOAD_LIMIT_MB == 100


def test_every_limit_is_stated_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("### Limits", 1)[1].split("\n## ", 1)[0]
    for figure in (
        "1900",
        "2999",
        "32 levels",
        "5,000 rows",
        "100,000 rows",
        "10,000 characters",
        "2,000 characters",
        "100 MB",
        "50 MB",
        "20 MB",
        "5 MB",
        "2 MB",
        "1 MB",
    ):
        assert figure in section, figure


def test_dates_outside_1900_to_2999_are_refused() -> None:
    import datetime as dt

    assert check_day(dt.date(1900, 1, 1), "x") == dt.date(1900, 1, 1)
    assert check_day(dt.date(2999, 12, 31), "x") == dt.date(2999, 12, 31)
    for day in (dt.date(1899, 12, 31), dt.date(3000, 1, 1), dt.date(9999, 12, 31)):
        with pytest.raises(LimitError, match=r"start: .* outside the years 1900-2999"):
            check_day(day, "start")


def _depth(value: object) -> int:
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    return 0


def _random_json(rng: random.Random, levels: int) -> object:
    if levels == 0 or rng.random() < 0.2:
        return rng.choice(['a"b\\', "[{]}", 1, 'x\\"[[[', None, "\\"])
    if rng.random() < 0.5:
        return [_random_json(rng, levels - 1) for _ in range(rng.randint(0, 3))]
    return {f"k{i}[": _random_json(rng, levels - 1) for i in range(rng.randint(0, 3))}


def test_the_depth_guard_counts_nesting_exactly_whatever_the_pieces() -> None:
    rng = random.Random(5)
    for _ in range(1500):
        value = _random_json(rng, rng.randint(0, 10))
        data = json.dumps(value, indent=rng.choice([None, 1])).encode()
        depth = _depth(value)
        for limit in (depth - 1, depth) if depth else (0,):
            guard = JsonDepthGuard(limit)
            found = None
            at = 0
            while at < len(data) and found is None:
                step = rng.randint(1, 9)
                found = guard.feed(data[at : at + step])
                at += step
            assert (found is not None) == (depth > limit), (data, depth, limit)


def test_a_deep_document_is_named_by_line_without_building_it() -> None:
    data = b'{"a":\n  "[[[[",\n "b": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    problem = json_depth_problem(data)
    assert problem is not None and problem.startswith("line 3: nested deeper than 32")
    assert json_depth_problem(b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH) is None


def test_csv_rows_cells_and_nul_are_limited_with_row_and_column() -> None:
    _rows, problems = csv_records("a\n" + "x\n" * 10, max_rows=5, kind="plan CSV")
    assert problems == [
        "row 6: the file has more than 5 rows, the limit for a plan CSV; split it into smaller "
        "files"
    ]
    _rows, problems = csv_records("a,b\n1," + "n" * 10_001 + "\n", max_rows=5, kind="x")
    assert problems == [
        "row 2, column 2: the cell is 10,001 characters long, over the limit of 10,000"
    ]
    _rows, problems = csv_records("a,b\n1,o\x00k\n", max_rows=5, kind="x")
    assert problems[0].startswith("row 2, column 2: the cell contains a NUL character")
    _rows, problems = csv_records('a,b\n1,"never closed\n', max_rows=5, kind="x")
    assert problems and problems[0].startswith("row 2: not readable as CSV")


def _reference(pattern: str, text: str) -> bool:
    return re.fullmatch(".*".join(map(re.escape, pattern.split("*"))), text, re.DOTALL) is not None


def test_globs_match_as_the_regular_expression_would() -> None:
    rng = random.Random(3)
    for _ in range(3000):
        pattern = "".join(rng.choice("ab*") for _ in range(rng.randint(0, 7)))
        text = "".join(rng.choice("ab") for _ in range(rng.randint(0, 9)))
        assert bool(_glob(pattern)(text)) == _reference(pattern, text), (pattern, text)


def test_a_pathological_glob_against_a_long_id_takes_linear_steps(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The old regular expression (.*a.*a...b) backtracked for minutes on this; the matcher
    # does one str.find per piece of the pattern, each scanning the id at most once.
    pattern = "http://x/" + "*a" * 12 + "*b"
    text = "http://x/" + "a" * 10_000
    matcher = _glob(pattern)
    assert not matcher(text)
    assert matcher(text + "b")
    assert len(matcher.middle) == 12  # type: ignore[attr-defined]


def test_an_export_to_a_full_disk_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.html"
    target.write_bytes(b"the previous report")

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(output_files.os, "fsync", full)
    with pytest.raises(WriteFailedError, match="the disk is full"):
        write_atomically(target, b"x" * 100_000)
    assert target.read_bytes() == b"the previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_the_cli_export_to_a_full_disk_is_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from planner.cli import main

    url = f"sqlite:///{tmp_path / 'p.db'}"
    assert main(["demo", "--db", url]) == 0
    plan_id = capsys.readouterr().out.split()[0]

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(output_files.os, "fsync", full)
    out = tmp_path / "plan.ics"
    assert main(["export", plan_id, "--format", "ics", "-o", str(out), "--db", url]) == 1
    assert "the disk is full" in capsys.readouterr().err
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("p.db")) == []


def test_a_database_on_a_full_disk_is_a_message() -> None:
    full = OperationalError("INSERT ...", {}, sqlite3.OperationalError("database or disk is full"))
    assert disk_full_message(full) is not None
    assert disk_full_message(OSError(errno.ENOSPC, "x")) is not None
    assert disk_full_message(ValueError("something else")) is None


@pytest.mark.parametrize(
    "broken",
    [
        "title: 2026-02-30\n",
        "title: 2026-01-01 25:61:00\n",
        "title: !!binary not*base64\n",
        "tactics: " + "[" * 40 + "]" * 40 + "\n",
        "tactics: " + "[" * 5000 + "]" * 5000 + "\n",
    ],
)
def test_a_broken_playbook_file_is_reported_and_the_rest_still_loads(
    tmp_path: Path, broken: str
) -> None:
    from planner.exchange.playbooks import load_library

    corpus = (ROOT / "tests" / "data" / "bad" / "make_corpus.py").read_text()
    good = corpus.split('PLAYBOOK = """', 1)[1].split('"""', 1)[0]
    (tmp_path / "a-good.yaml").write_text(good)
    (tmp_path / "b-broken.yaml").write_text(broken)
    library = load_library([tmp_path])
    assert "corpus-tactic" in library.tactics
    assert any("b-broken.yaml" in str(p) for p in library.problems)


def test_uploads_over_their_limit_are_named_before_they_are_read() -> None:
    from planner.ui.xapi_import import upload_problems

    mb = 1024 * 1024
    assert upload_problems([("a.json", 10 * mb)], None) == []
    assert upload_problems([("a.json", 101 * mb)], None) == [
        "a.json: the file is 101.0 MB, over the 100 MB limit for a xAPI file; split it into "
        "smaller files."
    ]
    (batch,) = upload_problems([("a.json", 60 * mb), ("b.json", 60 * mb)], None)
    assert "add up to 120.0 MB" in batch

    class Mapping:
        name, size = "rules.yaml", 2 * mb

    assert upload_problems([("a.json", 1)], Mapping()) == [
        "rules.yaml: the file is 2.0 MB, over the 1 MB limit for a mapping file; split it into "
        "smaller files."
    ]


def test_as_of_dates_outside_the_years_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from planner.cli import main

    url = f"sqlite:///{tmp_path / 'p.db'}"
    assert main(["demo", "--db", url]) == 0
    plan_id = capsys.readouterr().out.split()[0]
    for command in (["status", plan_id], ["export", plan_id, "--format", "md"]):
        assert main([*command, "--as-of", "9999-01-01", "--db", url]) == 1
        assert "--as-of: 9999-01-01 is outside the years 1900-2999" in capsys.readouterr().err
