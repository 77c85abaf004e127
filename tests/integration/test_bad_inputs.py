"""Every file of the bad-input corpus (tests/data/bad/) through its real entry point, the
`planner` command: refused with a message naming the file (and the line, row or field where
there is one), no traceback (only PlannerError subclasses escape, which the command prints),
every table unchanged afterwards, and memory bounded.

Memory: the peak traced while one file is refused stays under PEAK_BOUND (64 MB), whatever the
file's size (the corpus holds sparse files of 3 to 51 MB and nested files of 40 KB to 5 MB; on
main a 40 KB nested xAPI file took over 1 GB).
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import re
import shutil
import sys
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, MetaData, select

from planner.cli import main
from planner.store import make_engine, migrate
from tests.integration.conftest import BACKENDS

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
_spec = importlib.util.spec_from_file_location("make_corpus", BAD / "make_corpus.py")
assert _spec is not None and _spec.loader is not None
corpus = importlib.util.module_from_spec(_spec)
sys.modules["make_corpus"] = corpus
_spec.loader.exec_module(corpus)

PEAK_BOUND = 64 * 1024 * 1024
CASES = corpus.cases()
# Whole-file refusals have no line to name; every other message names a place.
_PLACE = re.compile(
    r"line \d+|[Rr]ow \d+|column \d+|:\d+(:\d+)?|\[\d+\]|\b(plan|items|people|version|format|"
    r"rules|activity|reviews|purposes|practices|tactics|title)\b"
)
_WHOLE_FILE = re.compile(
    r"UTF-8|UTF-16|empty|MB|not JSON|not valid|not a plan bundle|no header|not YAML|"
    r"not a statement|expected a mapping|is not a|binary|no rows|file name|name does not say",
    re.IGNORECASE,
)


def test_the_corpus_is_large_and_covers_every_format() -> None:
    formats = {case.split("/")[0] for case in CASES}
    assert formats == {
        "playbook",
        "taxonomy",
        "plan_csv",
        "readings_csv",
        "xapi",
        "bundle",
        "mapping",
        "community",
    }
    assert len(CASES) >= 80


def test_checked_in_files_match_the_script() -> None:
    for name, make in corpus.SMALL.items():
        assert (BAD / name).read_bytes() == make(), f"{name}: run tests/data/bad/make_corpus.py"


@pytest.fixture(scope="module", params=BACKENDS)
def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str, Engine]]:
    """A database holding the sample plan: SQLite, and PostgreSQL under the postgres marker."""
    corpus.ensure(BAD)
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('bad') / 'planner.db'}"
    else:
        url = request.getfixturevalue("postgres_databases").create()
    key = os.environ.get("PLANNER_PSEUDONYM_KEY")
    os.environ["PLANNER_PSEUDONYM_KEY"] = "corpus-test-key-0123456789abcdef"  # required off SQLite
    engine = make_engine(url)
    migrate(engine)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["demo", "--db", url, "--user", "corpus"]) == 0
    plan_id = out.getvalue().split()[0]
    yield url, plan_id, engine
    engine.dispose()
    if key is None:
        os.environ.pop("PLANNER_PSEUDONYM_KEY", None)
    else:
        os.environ["PLANNER_PSEUDONYM_KEY"] = key


def _dump(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    meta = MetaData()
    meta.reflect(engine)
    with engine.connect() as connection:
        return {
            name: sorted((tuple(row) for row in connection.execute(select(table))), key=repr)
            for name, table in meta.tables.items()
        }


def _community_item(engine: Engine, plan_id: str) -> str:
    """The sample plan's community item at the coalescing stage (it has two community items)."""
    from planner import services

    return next(
        i.id for i in services.get_items(engine, plan_id) if i.tactic_id == "cop-coalescing-launch"
    )


def _argv(
    case: str, path: Path, url: str, plan_id: str, tmp: Path, engine: Engine
) -> tuple[list[str], str]:
    """The command for one case, and the file name its message must show."""
    kind = case.split("/")[0]
    db = ["--db", url, "--user", "corpus"]
    if kind == "community":
        # --replace: only the file's own fault may refuse it (the sample has readings there)
        options = ["--item", _community_item(engine, plan_id), "--format", "auto", "--replace"]
        options += corpus.COMMUNITY_ARGS.get(case, [])
        return ["readings", "import", str(path), "--plan", plan_id, *options, *db], path.name
    if kind == "playbook":
        return ["validate", str(path)], path.name
    if kind == "taxonomy":
        folder = tmp / "folder"
        folder.mkdir()
        shutil.copyfile(path, folder / "taxonomy.yaml")
        return ["validate", str(folder)], "taxonomy.yaml"
    if kind in ("plan_csv", "bundle"):
        return ["import", str(path), *db], path.name
    readings = ["readings", "import", "--plan", plan_id, *db]
    if kind == "readings_csv":
        return [*readings, "--format", "csv", str(path)], path.name
    if kind == "xapi":
        return [*readings, "--format", "xapi", str(path)], path.name
    good = tmp / "good.json"
    good.write_bytes(corpus._json([corpus.STATEMENT]))
    return [*readings, "--format", "xapi", "--mapping", str(path), str(good)], path.name


@pytest.mark.parametrize("case", CASES)
def test_bad_file_is_refused_with_a_message_and_changes_nothing(
    case: str,
    database: tuple[str, str, Engine],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url, plan_id, engine = database
    path = BAD / case
    argv, shown = _argv(case, path, url, plan_id, tmp_path, engine)
    before = _dump(engine)
    capsys.readouterr()
    tracemalloc.start()
    try:
        code = main(argv)  # anything but a PlannerError would propagate and fail the test
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    captured = capsys.readouterr()
    err = captured.out + captured.err  # `validate` lists problems on stdout
    assert code == 1, f"{case} was accepted:\n{err}"
    assert "Traceback" not in err
    assert shown in err, f"{case}: the message does not name the file:\n{err}"
    if case.startswith("community/"):  # the error itself, not only the "reading FILE" line
        assert shown in err.partition("error:")[2], err
    assert _PLACE.search(err) or _WHOLE_FILE.search(err), err
    assert peak < PEAK_BOUND, f"{case}: {peak / 1024 / 1024:.0f} MB traced"
    assert _dump(engine) == before, f"{case} changed the database"


def test_the_bases_are_valid(database: tuple[str, str, Engine], tmp_path: Path) -> None:
    """Each case breaks a valid file one way: the valid files themselves go through."""
    url, plan_id, _engine = database
    db = ["--db", url, "--user", "corpus"]
    files = {
        "plan.csv": corpus.PLAN_CSV.encode(),
        "readings.csv": corpus.READINGS_CSV.encode(),
        "bundle.json": corpus._json(corpus.BUNDLE),
        "statements.json": corpus._json([corpus.STATEMENT]),
        "mapping.yaml": corpus.MAPPING.encode(),
        "playbook.yaml": corpus.PLAYBOOK.encode(),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    assert main(["import", str(tmp_path / "plan.csv"), *db]) == 0
    assert main(["import", str(tmp_path / "bundle.json"), *db]) == 0
    readings = ["readings", "import", "--plan", plan_id, *db]
    assert main([*readings, "--format", "csv", "--replace", str(tmp_path / "readings.csv")]) == 0
    xapi = [*readings, "--format", "xapi", "--replace", "--mapping", str(tmp_path / "mapping.yaml")]
    assert main([*xapi, str(tmp_path / "statements.json")]) == 0
    assert main(["validate", str(tmp_path / "playbook.yaml")]) == 0
    community = ["readings", "import", "--plan", plan_id, "--format", "auto", *db]
    community += ["--item", _community_item(_engine, plan_id), "--replace"]
    teams = tmp_path / "TeamsUserActivityUserDetail.csv"
    teams.write_bytes(corpus.TEAMS_CSV.encode())
    slack = tmp_path / corpus.SLACK_NAME
    slack.write_bytes(corpus.SLACK_CSV.encode())
    assert main([*community, str(teams)]) == 0
    assert main([*community, str(slack)]) == 0
