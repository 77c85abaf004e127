"""Community tools' exports into a plan's readings, over the real repository, and the CLI."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from planner import services
from planner.cli import main
from planner.domain.planning import InvalidInputError
from planner.domain.readings import ReadingsExistError
from planner.exchange.community import CommunityFormatError, Window
from planner.services.community import (
    file_kind,
    import_community_files,
    preview_community_import,
)
from planner.services.privacy import add_opt_out
from planner.services.readings import list_readings, plan_status
from planner.store import Base, uow
from tests.community_files import (
    Person,
    email,
    slack_channels_export,
    teams_export,
)

DANA = "Dana Whitfield"
REFRESH = dt.date(2026, 11, 29)  # a Sunday: the last day of ISO week 2026-W48
DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def shared_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_PSEUDONYM_KEY", "a-test-key-long-enough-to-be-a-real-secret-123")


class Plan:
    def __init__(self, engine: Engine, make_tactic: Any, make_metric: Any) -> None:
        self.engine = engine
        plan = services.create_plan(
            engine, name="Guilds", actor=DANA, start_date=dt.date(2026, 9, 7), status="active"
        )
        guild = make_tactic(
            "data-guild", stage="coalescing", metrics=[make_metric("meetups", target=2.0)]
        )
        # A community whose tactic measures members itself, monthly.
        circle = make_tactic(
            "design-circle", stage="maturing", metrics=[make_metric("members", target=40.0)]
        )
        mentoring = make_tactic("mentoring", metrics=[make_metric("pairs", target=5.0)])
        self.guild, self.circle, self.mentoring = services.add_tactic_items(
            engine, plan.id, [guild, circle, mentoring], expected_version=1, actor=DANA
        )
        self.id = plan.id

    def readings(self) -> dict[tuple[str, str, str], tuple[float, str]]:
        return {
            (r.item_id, r.metric_id, r.period): (r.value, r.source)
            for r in list_readings(self.engine, self.id)
        }


@pytest.fixture
def plan(engine: Engine, make_tactic: Any, make_metric: Any) -> Plan:
    return Plan(engine, make_tactic, make_metric)


def people(active: int, idle: int, posters: int = 0) -> list[Person]:
    return [
        Person(n, REFRESH - DAY if n < active else None, posts=1 if n < posters else 0)
        for n in range(active + idle)
    ]


def teams(refresh: dt.date = REFRESH, **kw: int) -> tuple[str, io.BytesIO]:
    data = teams_export(people(**kw), refresh, 30, bom=True)  # type: ignore[arg-type]
    return ("TeamsUserActivityUserDetail.csv", io.BytesIO(data))


def test_a_teams_export_becomes_readings_of_the_week_holding_its_last_day(plan: Plan) -> None:
    preview = preview_community_import(
        plan.engine, plan.id, [teams(active=12, idle=8, posters=3)], item_id=plan.guild.id
    )
    assert [(r.metric_id, r.period, r.value, r.status) for r in preview.readings] == [
        ("members", "2026-W48", 20, "new"),
        ("active-members", "2026-W48", 12, "new"),
        ("contributors", "2026-W48", 3, "new"),
    ]
    assert plan.readings() == {}  # a preview writes nothing


@pytest.fixture
def imported(plan: Plan) -> Plan:
    import_community_files(
        plan.engine,
        plan.id,
        [teams(active=12, idle=8, posters=3)],
        actor=DANA,
        item_id=plan.guild.id,
    )
    return plan


def test_import_files_by_period_with_the_tool_as_source(imported: Plan) -> None:
    g = imported.guild.id
    assert imported.readings() == {
        (g, "members", "2026-W48"): (20, "teams"),
        (g, "active-members", "2026-W48"): (12, "teams"),
        (g, "contributors", "2026-W48"): (3, "teams"),
    }
    (reading, *_) = list_readings(imported.engine, imported.id, metric_id="members")
    assert reading.date == REFRESH
    assert reading.note == (
        "Microsoft Teams user activity detail, 30 days to 29 Nov 2026 "
        "(TeamsUserActivityUserDetail.csv)"
    )
    status = plan_status(imported.engine, imported.id, as_of=REFRESH)
    assert status is not None


def test_reimporting_changes_nothing_and_another_window_updates_only_its_period(
    imported: Plan,
) -> None:
    g = imported.guild.id
    again = import_community_files(
        imported.engine, imported.id, [teams(active=12, idle=8, posters=3)], actor=DANA, item_id=g
    )
    assert (again.recorded.created, again.recorded.unchanged) == (0, 3)
    later = import_community_files(
        imported.engine,
        imported.id,
        [teams(REFRESH + 7 * DAY, active=15, idle=8, posters=4)],
        actor=DANA,
        item_id=g,
    )
    assert later.recorded.created == 3
    stored = imported.readings()
    assert stored[(g, "members", "2026-W48")] == (20, "teams")
    assert stored[(g, "members", "2026-W49")] == (23, "teams")


def test_a_different_figure_for_a_period_needs_replace(imported: Plan) -> None:
    g = imported.guild.id
    changed = [teams(active=13, idle=8, posters=3)]
    wanted = r"Active members \(weekly\), 2026-W48 .*: 12 → 13"
    with pytest.raises(ReadingsExistError, match=wanted):
        import_community_files(imported.engine, imported.id, changed, actor=DANA, item_id=g)
    assert imported.readings()[(g, "active-members", "2026-W48")] == (12, "teams")
    preview = preview_community_import(imported.engine, imported.id, changed, item_id=g)
    assert [(r.metric_id, r.existing) for r in preview.replaces] == [
        ("members", 20),
        ("active-members", 12),
    ]
    done = import_community_files(
        imported.engine, imported.id, changed, actor=DANA, item_id=g, replace=True
    )
    assert done.recorded.replaced == 2
    assert imported.readings()[(g, "active-members", "2026-W48")] == (13, "teams")


def test_the_items_own_metric_decides_the_cadence(plan: Plan) -> None:
    c = plan.circle.id
    import_community_files(plan.engine, plan.id, [teams(active=5, idle=1)], actor=DANA, item_id=c)
    periods = {k[1]: k[2] for k in plan.readings()}
    assert periods == {
        "members": "2026-11",
        "active-members": "2026-W48",
        "contributors": "2026-W48",
    }


def test_the_item_must_be_chosen_unless_there_is_one_community(plan: Plan) -> None:
    with pytest.raises(InvalidInputError, match=r"--item ITEM.*2 community items"):
        import_community_files(plan.engine, plan.id, [teams(active=1, idle=1)], actor=DANA)
    with pytest.raises(Exception, match="takes no members readings"):
        import_community_files(
            plan.engine, plan.id, [teams(active=1, idle=1)], actor=DANA, item_id=plan.mentoring.id
        )


def test_all_files_or_none(plan: Plan) -> None:
    bad = ("broken.csv", io.BytesIO(b"Report Refresh Date,Nope\n2026-11-29,1\n"))
    with pytest.raises(CommunityFormatError, match=r"broken\.csv: not an export"):
        import_community_files(
            plan.engine, plan.id, [teams(active=3, idle=3), bad], actor=DANA, item_id=plan.guild.id
        )
    assert plan.readings() == {}


def test_a_channel_of_a_slack_channel_export(plan: Plan) -> None:
    data = slack_channels_export([("ask-data", 210, 31), ("random", 900, 200)])
    name = "Acme Channel Analytics Prior 30 Days - Nov 29, 2026.csv"
    with pytest.raises(CommunityFormatError, match="choose one"):
        import_community_files(
            plan.engine, plan.id, [(name, io.BytesIO(data))], actor=DANA, item_id=plan.guild.id
        )
    import_community_files(
        plan.engine,
        plan.id,
        [(name, io.BytesIO(data))],
        actor=DANA,
        item_id=plan.guild.id,
        channel="#ask-data",
    )
    g = plan.guild.id
    assert plan.readings() == {
        (g, "members", "2026-W48"): (210, "slack"),
        (g, "contributors", "2026-W48"): (31, "slack"),
    }


def _everything(engine: Engine) -> str:
    parts = []
    with uow(engine, write=False) as session:
        for table in Base.metadata.sorted_tables:
            for row in session.connection().execute(select(table)):
                parts.append(json.dumps([str(v) for v in row], ensure_ascii=False))
    return "\n".join(parts)


def test_opted_out_people_are_left_out_and_no_identifier_is_stored(plan: Plan) -> None:
    add_opt_out(plan.engine, email(0), actor=DANA)  # person 0 is active and posted
    done = import_community_files(
        plan.engine,
        plan.id,
        [teams(active=6, idle=2, posters=2)],
        actor=DANA,
        item_id=plan.guild.id,
    )
    assert done.preview.exports[0].opted_out == 1
    g = plan.guild.id
    assert plan.readings()[(g, "members", "2026-W48")] == (7, "teams")
    assert plan.readings()[(g, "contributors", "2026-W48")] == (1, "teams")
    dump = _everything(plan.engine)
    assert "example.org" not in dump and "00000000-0000-0000" not in dump


def test_cli_auto_format_imports_a_tool_export_and_needs_replace_to_overwrite(
    plan: Plan, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = plan.engine.url.render_as_string(hide_password=False)
    path = tmp_path / "Acme Member Analytics Prior 30 Days - Nov 29, 2026.csv"
    path.write_bytes(teams(active=3, idle=9, posters=1)[1].getvalue())
    args = ["--plan", plan.id, "--item", plan.guild.id, "--db", url, "--user", "cli"]
    assert main(["readings", "import", str(path), *args]) == 0
    err = capsys.readouterr().err
    assert "Microsoft Teams user activity detail, 30 days to 29 Nov 2026" in err
    assert "Active members, 2026-W48: < 5" in err  # small groups shown as "< 5"
    assert "3 reading(s) created" in err
    path.write_bytes(teams(active=4, idle=9, posters=1)[1].getvalue())
    assert main(["readings", "import", str(path), *args]) == 1
    assert "--replace" in capsys.readouterr().err
    assert main(["readings", "import", str(path), *args, "--replace"]) == 0
    assert plan.readings()[(plan.guild.id, "active-members", "2026-W48")] == (4, "teams")


def test_cli_refuses_mixed_kinds_and_options_of_another_kind(
    plan: Plan, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = plan.engine.url.render_as_string(hide_password=False)
    tool = tmp_path / "teams.csv"
    tool.write_bytes(teams(active=3, idle=3)[1].getvalue())
    readings_csv = tmp_path / "r.csv"
    readings_csv.write_text("item,metric,date,value\n", encoding="utf-8")
    args = ["--plan", plan.id, "--db", url]
    assert main(["readings", "import", str(tool), str(readings_csv), *args]) == 1
    assert "different kinds" in capsys.readouterr().err
    assert main(["readings", "import", str(readings_csv), "--item", "x", *args]) == 1
    assert "apply to community tool exports" in capsys.readouterr().err
    window = ["--window-end", "2026-11-29"]
    assert main(["readings", "import", str(tool), *args, "--item", plan.guild.id, *window]) == 1
    assert "both --window-end" in capsys.readouterr().err


def test_file_kinds() -> None:
    assert file_kind(b'\xef\xbb\xbf[{"id": 1}]') == "xapi"
    assert file_kind(b'{"actor": {}}\n{"actor": {}}') == "xapi"
    assert file_kind(b"Item,Metric,Date,Value,Note\r\n") == "csv"
    assert file_kind(b"\xef\xbb\xbfReport Refresh Date,User Principal Name\r\n") == "community"
    assert Window.ending(REFRESH, 1).days == 1


def test_a_channel_mapping_sends_each_channel_to_its_item(
    plan: Plan, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from planner.services.community import load_channel_mapping

    items = services.get_items(plan.engine, plan.id)
    text = f"'#ask-data': {plan.guild.id}\nDesign Circle: design-circle\n".encode()
    mapping = load_channel_mapping(text, items, name="channels.yaml")
    assert mapping == {"ask-data": plan.guild.id, "design circle": plan.circle.id}
    with pytest.raises(Exception, match=r"channels\.yaml: 'x': no item or single tactic 'nope'"):
        load_channel_mapping(b"x: nope\n", items, name="channels.yaml")
    with pytest.raises(Exception, match="name: item id"):
        load_channel_mapping(b"- a\n", items, name="channels.yaml")

    data = slack_channels_export(
        [("ask-data", 210, 31), ("design circle", 40, 9), ("random", 9, 1)]
    )
    name = "Acme Channel Analytics Prior 30 Days - Nov 29, 2026.csv"
    done = import_community_files(
        plan.engine, plan.id, [(name, io.BytesIO(data))], actor=DANA, mapping=mapping
    )
    assert done.preview.skipped == (f"{name}: 'random' is not in the mapping",)
    stored = plan.readings()
    assert stored[(plan.guild.id, "contributors", "2026-W48")] == (31, "slack")
    assert stored[(plan.circle.id, "members", "2026-11")] == (40, "slack")

    url = plan.engine.url.render_as_string(hide_password=False)
    (tmp_path / name).write_bytes(data)
    (tmp_path / "channels.yaml").write_bytes(text)
    args = ["--plan", plan.id, "--db", url, "--mapping", str(tmp_path / "channels.yaml")]
    assert main(["readings", "import", str(tmp_path / name), *args]) == 0
    err = capsys.readouterr().err
    assert "0 reading(s) created, 0 replaced, 4 unchanged" in err
    assert "skipped:" in err and "'random' is not in the mapping" in err
