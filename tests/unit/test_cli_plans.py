"""The `planner` commands for plans: plans, demo, export, import, on a temp-file SQLite."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

import pytest

from planner import services
from planner.cli import build_parser, main
from planner.services.bundles import export_bundle
from planner.services.reports import export_review_csv
from planner.store import make_engine, migrate

DATA_COMMANDS = ("plans", "demo", "export", "import")


class Run:
    """Runs `planner` in-process against one database; output as bytes and as text."""

    def __init__(self, capsysbinary: pytest.CaptureFixture[bytes], db: str) -> None:
        self.capture = capsysbinary
        self.db = db
        self.out = b""
        self.err = ""

    def __call__(self, *argv: str, user: str | None = "Tester") -> int:
        extra = ["--db", self.db] + (["--user", user] if user else [])
        code = main([*argv, *extra])
        out, err = self.capture.readouterr()
        self.out, self.err = out, err.decode()
        return code

    @property
    def text(self) -> str:
        return self.out.decode()


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'planner.db'}"


@pytest.fixture
def run(capsysbinary: pytest.CaptureFixture[bytes], db: str) -> Run:
    return Run(capsysbinary, db)


def engine_for(db: str):  # type: ignore[no-untyped-def]
    engine = make_engine(db)
    migrate(engine)
    return engine


def demo(run: Run) -> str:
    assert run("demo") == 0, run.err
    plan_id, name = run.text.rstrip("\n").split("\t")
    assert plan_id.startswith("pl_") and name
    return plan_id


# --- options --------------------------------------------------------------------------------


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_no_option_is_ever_abbreviated() -> None:
    parser = build_parser()
    assert parser.allow_abbrev is False
    for name, sub in _subparsers(parser).items():
        assert sub.allow_abbrev is False, name


def test_every_command_that_touches_data_takes_db_and_user() -> None:
    commands = _subparsers(build_parser())
    for name in DATA_COMMANDS:
        options = {o for a in commands[name]._actions for o in a.option_strings}
        assert {"--db", "--user"} <= options, name


@pytest.mark.parametrize(
    "argv",
    [
        ["plans", "--form", "json"],
        ["export", "pl_x", "--form", "csv"],
        ["export", "pl_x", "--format", "csv", "--exc"],
        ["import", "x.csv", "--na", "N"],
        ["plans", "--d", "sqlite://"],
    ],
)
def test_abbreviated_options_are_refused(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2


# --- plans and demo -------------------------------------------------------------------------


def test_plans_in_an_empty_database(run: Run) -> None:
    assert run("plans") == 0
    assert run.out == b"" and "No plans yet" in run.err
    assert run("plans", "--format", "json") == 0
    assert json.loads(run.out) == []


def test_demo_creates_the_sample_plan_and_plans_lists_it(run: Run, db: str) -> None:
    plan_id = demo(run)
    assert run("plans", "--format", "json") == 0
    [listed] = json.loads(run.out)
    plan = services.get_plan(engine_for(db), plan_id)
    assert listed == {
        "id": plan_id,
        "name": plan.name,
        "status": plan.status,
        "start": plan.start_date.isoformat(),
        "version": plan.version,
    }
    assert services.activity_log(engine_for(db), plan_id)[-1].actor == "Tester"
    assert run("plans") == 0
    header, line = run.text.splitlines()
    assert header.split() == ["ID", "NAME", "STATUS", "START", "VERSION"]
    assert line.startswith(plan_id) and plan.name in line


def test_the_actor_defaults_to_the_operating_system_user(
    run: Run, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("getpass.getuser", lambda: "os-user")
    assert run("demo", user=None) == 0
    plan_id = run.text.split("\t")[0]
    assert {e.actor for e in services.activity_log(engine_for(db), plan_id)} == {"os-user"}


# --- export -------------------------------------------------------------------------------------


def test_export_csv_writes_the_exact_bytes_to_stdout(run: Run, db: str) -> None:
    plan_id = demo(run)
    assert run("export", plan_id, "--format", "csv", "--as-of", "2027-03-01") == 0
    expected = export_review_csv(engine_for(db), plan_id, as_of=date(2027, 3, 1))
    assert run.out == expected
    assert run.out.startswith(b"item id,tactic,category,owner,team,start,end,item status,")
    assert run.out.endswith(b"\r\n") and not run.out.startswith(b"\xef\xbb\xbf")
    assert run("export", plan_id, "--format", "csv", "--as-of", "2027-03-01", "--excel") == 0
    assert run.out == b"\xef\xbb\xbf" + expected


def test_export_to_a_file(run: Run, db: str, tmp_path: Path) -> None:
    plan_id = demo(run)
    target = tmp_path / "review.csv"
    assert run("export", plan_id, "--format", "csv", "-o", str(target), "--excel") == 0
    assert run.out == b"" and "wrote" in run.err
    assert target.read_bytes() == b"\xef\xbb\xbf" + export_review_csv(engine_for(db), plan_id)
    bundle = tmp_path / "plan.json"
    assert run("export", plan_id, "--format", "bundle", "--output", str(bundle)) == 0
    assert bundle.read_bytes() == export_bundle(engine_for(db), plan_id)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--format", "csv", "--as-of", "01/03/2027"], "--as-of takes a date written YYYY-MM-DD"),
        (["--format", "csv", "--as-of", "20270301"], "--as-of takes a date written YYYY-MM-DD"),
        (["--format", "bundle", "--excel"], "--excel applies to the review CSV"),
        (["--format", "bundle", "--as-of", "2027-03-01"], "--as-of applies to reports"),
    ],
)
def test_export_option_mistakes_are_clear_errors(run: Run, argv: list[str], message: str) -> None:
    plan_id = demo(run)
    assert run("export", plan_id, *argv) == 1
    assert run.err.startswith("error: ") and message in run.err
    assert run.out == b""


def test_exporting_an_unknown_plan_is_an_error(run: Run) -> None:
    assert run("export", "pl_missing", "--format", "csv") == 1
    assert run.err == "error: No plan with id 'pl_missing'. Pick a plan from the list.\n"


# --- import -------------------------------------------------------------------------------------


def test_a_bundle_restores_elsewhere_and_comes_back_as_a_copy(
    run: Run, db: str, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    plan_id = demo(run)
    bundle = tmp_path / "backup.data"  # the extension does not matter
    assert run("export", plan_id, "--format", "bundle", "-o", str(bundle)) == 0

    elsewhere = Run(capsysbinary, f"sqlite:///{tmp_path / 'other.db'}")
    assert elsewhere("import", str(bundle)) == 0, elsewhere.err
    restored_id, name = elsewhere.text.rstrip("\n").split("\t")
    assert restored_id == plan_id
    assert "imported the plan" in elsewhere.err and "added people:" in elsewhere.err
    assert elsewhere("export", plan_id, "--format", "csv", "--as-of", "2027-03-01") == 0
    assert run("export", plan_id, "--format", "csv", "--as-of", "2027-03-01") == 0
    assert elsewhere.out == run.out

    assert run("import", str(bundle)) == 0
    copy_id, copy_name = run.text.rstrip("\n").split("\t")
    assert copy_id != plan_id and copy_name == f"{name} (copy)"
    assert f"imported as a copy, since its plan {plan_id} already exists here" in run.err
    assert run("plans", "--format", "json") == 0
    assert {p["id"] for p in json.loads(run.out)} == {plan_id, copy_id}


def test_a_plan_csv_becomes_a_plan_or_joins_one(run: Run, db: str, tmp_path: Path) -> None:
    plan_id = demo(run)
    owner = services.list_people(engine_for(db))[0]
    csv_file = tmp_path / "circles.txt"
    csv_file.write_text(
        f"tactic,owner,start\r\npeer-coaching-triads,{owner.name},2027-02-01\r\n,,\r\n",
        encoding="utf-8-sig",
    )
    assert run("import", str(csv_file)) == 0, run.err
    new_id, new_name = run.text.rstrip("\n").split("\t")
    assert new_name == "circles" and "with 1 item" in run.err
    [item] = services.open_plan(engine_for(db), new_id).items
    assert (item.tactic_id, item.owner_id, item.pinned_start) == (
        "peer-coaching-triads",
        owner.id,
        date(2027, 2, 1),
    )
    assert run("import", str(csv_file), "--name", "Triads Q3") == 0
    assert run.text.rstrip("\n").split("\t")[1] == "Triads Q3"

    before = services.get_plan(engine_for(db), plan_id)
    assert run("import", str(csv_file), "--plan", plan_id) == 0
    assert "added 1 item to the plan" in run.err
    after = services.open_plan(engine_for(db), plan_id)
    assert after.plan.version == before.version + 1
    assert after.items[-1].tactic_id == "peer-coaching-triads"
    assert after.items[-1].owner_id == owner.id


def test_a_bad_plan_csv_lists_its_problems_and_writes_nothing(
    run: Run, db: str, tmp_path: Path
) -> None:
    plan_id = demo(run)
    csv_file = tmp_path / "bad.csv"
    csv_file.write_text(
        "tactic,owner,start\nno-such-tactic,,\npeer-coaching-triads,Zed,someday\n",
        encoding="utf-8",
    )
    engine = engine_for(db)
    before = (services.list_plans(engine), services.open_plan(engine, plan_id))
    assert run("import", str(csv_file), "--plan", plan_id) == 1
    assert run.err.startswith("error: bad.csv: 3 problems; nothing was imported.")
    assert "row 2, column tactic: no tactic 'no-such-tactic'" in run.err
    assert "row 3, column owner: no person named 'Zed'" in run.err
    assert "row 3, column start: 'someday' is not a date" in run.err
    assert run("import", str(csv_file)) == 1
    assert (services.list_plans(engine), services.open_plan(engine, plan_id)) == before


def test_import_errors_are_clear(run: Run, tmp_path: Path) -> None:
    plan_id = demo(run)
    assert run("import", str(tmp_path / "missing.json")) == 1
    assert run.err.startswith("error: ") and "cannot read the file" in run.err

    newer = tmp_path / "newer.json"
    newer.write_text(
        json.dumps({"format": "informal-learning-planner/bundle", "version": 7}), encoding="utf-8"
    )
    assert run("import", str(newer)) == 1
    assert "made by a newer version of the planner; upgrade to import it" in run.err

    bundle = tmp_path / "plan.json"
    assert run("export", plan_id, "--format", "bundle", "-o", str(bundle)) == 0
    assert run("import", str(bundle), "--plan", plan_id) == 1
    assert "is a plan bundle, which restores a whole plan; leave out --plan" in run.err
