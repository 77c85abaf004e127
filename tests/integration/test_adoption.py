"""The whole xAPI path on the sample plan: files -> mapping -> pseudonymised counts -> readings,
and the `planner readings import` / `planner status` commands."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from planner.cli import main
from planner.domain.planning import Plan
from planner.exchange.playbooks import load_default_library
from planner.services import readings
from planner.services.adoption import InvalidStatementsError, import_xapi
from planner.services.sample import create_sample_plan

TODAY = date(2026, 11, 28)
NOW = datetime(2026, 12, 20, 12, tzinfo=UTC)
ASKED = "http://adlnet.gov/expapi/verbs/asked"
SPACE = "https://community.example.org/spaces/troubleshooting/q/"


def statement(n: int, who: str, day: str = "2026-12-15") -> dict[str, object]:
    return {
        "id": f"00000000-0000-4000-8000-{n:012d}",
        "actor": {"mbox": f"mailto:{who}@example.org", "name": who.title()},
        "verb": {"id": ASKED},
        "object": {"id": f"{SPACE}{n}"},
        "timestamp": f"{day}T10:00:00Z",
    }


@pytest.fixture(autouse=True)
def shared_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """A shared database needs a key from the settings (SQLite would make one beside it)."""
    monkeypatch.setenv("PLANNER_PSEUDONYM_KEY", "a-test-key-long-enough-to-be-a-real-secret-123")


@pytest.fixture
def sample(engine: Engine) -> Plan:
    return create_sample_plan(engine, load_default_library(), actor="Tester", today=TODAY)


def run(engine: Engine, plan: Plan, stmts: list[dict[str, object]], **kw: object) -> object:
    data = json.dumps(stmts).encode()
    return import_xapi(
        engine, plan.id, [("lrs.json", io.BytesIO(data))], actor="Tester", now=NOW, **kw
    )  # type: ignore[arg-type]


def coalescing(engine: Engine, plan: Plan, metric: str) -> list[readings.Reading]:
    items = readings.list_readings(engine, plan.id, metric_id=metric)
    return [r for r in items if r.period == "2026-W51"]


def test_distinct_people_add_up_across_imports(engine: Engine, sample: Plan) -> None:
    run(engine, sample, [statement(1, "ana"), statement(2, "ben"), statement(3, "ana")])
    run(engine, sample, [statement(4, "ben"), statement(5, "cleo"), statement(1, "ana")])
    (active,) = coalescing(engine, sample, "active-members")
    (questions,) = coalescing(engine, sample, "questions")
    assert active.value == 3  # ana, ben, cleo: a union, not 2 + 2
    assert questions.value == 5  # statement 1 came twice: counted once


def test_no_raw_identifier_or_name_is_stored(engine: Engine, sample: Plan) -> None:
    run(engine, sample, [statement(1, "ana"), statement(2, "ben")])
    with engine.connect() as conn:
        tables = [t for t in ("xapi_people", "xapi_statements", "readings", "activity", "opt_outs")]
        dump = " ".join(
            str(row) for t in tables for row in conn.execute(text(f"SELECT * FROM {t}"))
        )
    assert "ana@example.org" not in dump and "mailto:" not in dump


def test_invalid_statements_stop_the_import_unless_skipped(engine: Engine, sample: Plan) -> None:
    bad = {"actor": {"mbox": "ana@example.org"}, "verb": {"id": ASKED}, "object": {"id": "x"}}
    with pytest.raises(InvalidStatementsError, match=r"lrs\.json:2"):
        run(engine, sample, [statement(1, "ana"), bad])
    assert coalescing(engine, sample, "questions") == []
    run(engine, sample, [statement(1, "ana"), bad], skip_invalid=True)
    (questions,) = coalescing(engine, sample, "questions")
    assert questions.value == 1


def test_cli_readings_import_and_status(
    engine: Engine, sample: Plan, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = engine.url.render_as_string(hide_password=False)
    csv = tmp_path / "r.csv"
    csv.write_text(
        "item,metric,date,value,note\n"
        "ask-an-expert-channel,median-hours-to-first-response,2026-11-27,2,\n",
        encoding="utf-8",
    )
    args = ["--plan", sample.id, "--db", url, "--user", "cli"]
    assert main(["readings", "import", str(csv), "--format", "csv", *args]) == 1
    assert "--replace" in capsys.readouterr().err  # the sample has a reading that week
    assert main(["readings", "import", str(csv), "--format", "csv", "--replace", *args]) == 0
    capsys.readouterr()
    code = main(["status", sample.id, "--format", "json", "--as-of", "2026-11-28", "--db", url])
    document = json.loads(capsys.readouterr().out)
    assert code == 0
    row = next(
        r for r in document["metrics"]
        if r["metric"] == "median-hours-to-first-response" and r["item"].startswith("Ask")
    )  # fmt: skip
    assert row["actual"] == 2 and row["status"] == "on track"
    assert {"item", "metric", "actual", "target", "expected", "progress", "status"} <= set(row)
    people = [r for r in document["metrics"] if r["unit"] == "people" and r["actual"] is not None]
    assert all(r["actual"] == "< 5" or r["actual"] >= 5 for r in people)


def test_cli_status_states_the_index_coverage(
    engine: Engine, sample: Plan, capsys: pytest.CaptureFixture[str]
) -> None:
    url = engine.url.render_as_string(hide_password=False)
    code = main(["status", sample.id, "--format", "json", "--as-of", "2026-11-28", "--db", url])
    document = json.loads(capsys.readouterr().out)
    assert code == 0
    coverage = document["index_coverage"]
    tracked = [
        r for r in document["metrics"] if r["status"] in ("on track", "at risk", "off track")
    ]
    assert coverage == {"counted": len(tracked), "total": len(document["metrics"])}
    assert 0 < coverage["counted"] < coverage["total"]
    assert all("baseline_source" in r for r in document["metrics"])
    assert main(["status", sample.id, "--as-of", "2026-11-28", "--db", url]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.endswith(f"{coverage['counted']} of {coverage['total']} metrics counted")
