"""A save refused because someone else saved first: theirs against mine for every field, then
"Reload and keep my edits" (re-applies mine that do not clash) or "Discard my edits"."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from planner import services
from planner.domain.planning import ItemChange, Plan, Target, default_targets
from planner.ui.state import Keys
from tests.app.conftest import open_page

PAGE = "pages/plan.py"


def edit_items(at: AppTest, rows: dict[int, dict[str, Any]]) -> None:
    key = f"items-editor-{at.session_state[Keys.EDITOR_ROUND]}"
    at.session_state[key] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    at.run()


def conflict_table(at: AppTest) -> pd.DataFrame:
    return next(t.value for t in at.table if "Theirs" in t.value.columns)


def click(at: AppTest, label: str) -> None:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception


def test_items_conflict_shows_theirs_and_keeps_mine_that_do_not_clash(
    app: AppTest, engine: Engine, sample: Plan
) -> None:
    open_page(app, PAGE)
    items = services.get_items(engine, sample.id)
    grace = next(p for p in services.list_people(engine) if p.name == "Grace Liu")
    services.update_items(
        engine,
        sample.id,
        [
            ItemChange(items[0].id, {"notes": "their note"}),
            ItemChange(items[1].id, {"owner_id": grace.id}),
        ],
        expected_version=sample.version,
        actor="Dana",
    )
    edit_items(
        app,
        {0: {"Notes": "my note"}, 1: {"Team": "Tier 9"}, 2: {"Status": "blocked"}},
    )
    app.button(key="save-items").click().run()
    assert not app.exception, app.exception
    assert "Dana" in app.error[0].value
    table = conflict_table(app)
    mine = table.set_index(["Where", "Field"])
    assert mine.loc[(items[0].title, "Notes"), "Theirs"] == "their note"
    assert mine.loc[(items[0].title, "Notes"), "Yours"] == "my note"
    assert mine.loc[(items[0].title, "Notes"), "Outcome"].startswith("Clash")
    assert mine.loc[(items[1].title, "Team"), "Yours"] == "Tier 9"
    assert mine.loc[(items[2].title, "Status"), "Yours"] == "blocked"
    assert services.get_items(engine, sample.id)[2].status != "blocked"  # nothing saved

    click(app, "Reload and keep my edits")
    assert any("2 of your edits put back" in i.value for i in app.info)
    assert any("my note" in w.value and "their note" in w.value for w in app.warning)
    assert any("2 item(s) changed" in c.value for c in app.caption)
    app.button(key="save-items").click().run()
    assert not app.exception and not app.error
    after = services.get_items(engine, sample.id)
    assert after[0].notes == "their note"  # the clash: theirs stays
    assert after[1].owner_id == grace.id and after[1].team == "Tier 9"
    assert after[2].status == "blocked"
    assert services.get_plan(engine, sample.id).version == sample.version + 2


def test_settings_conflict_after_moving_away_and_back(
    app: AppTest, engine: Engine, sample: Plan
) -> None:
    open_page(app, PAGE)
    services.rename_plan(
        engine, sample.id, "Their name", expected_version=sample.version, actor="Dana"
    )
    app.switch_page("pages/schedule.py").run()
    app.switch_page(PAGE).run()
    assert any("Dana saved this plan since you opened it" in w.value for w in app.warning)
    box = next(t for t in app.text_area if t.label == "What it is for")
    box.input("My description")
    click(app, "Save plan settings")
    table = conflict_table(app)
    assert list(table["Field"]) == ["What it is for"]
    assert table["Yours"][0] == "My description"
    assert table["Outcome"][0] == "Only you changed it: kept"
    assert "Their name" in app.error[0].value or "Dana" in app.error[0].value

    click(app, "Reload and keep my edits")
    assert app.subheader[0].value == "Their name"
    assert next(t for t in app.text_area if t.label == "What it is for").value == "My description"
    assert next(t for t in app.text_input if t.label == "Name").value == "Their name"
    click(app, "Save plan settings")
    assert not app.error
    plan = services.get_plan(engine, sample.id)
    assert (plan.name, plan.description) == ("Their name", "My description")


def test_clashing_setting_shows_both_values_and_discard_drops_mine(
    app: AppTest, engine: Engine, sample: Plan
) -> None:
    open_page(app, PAGE)
    services.rename_plan(
        engine, sample.id, "Their name", expected_version=sample.version, actor="Dana"
    )
    next(t for t in app.text_input if t.label == "Name").input("My name")
    click(app, "Save plan settings")
    row = conflict_table(app).iloc[0]
    assert (row["Field"], row["Theirs"], row["Yours"]) == ("Name", "Their name", "My name")
    assert row["Outcome"].startswith("Clash")
    click(app, "Discard my edits")
    assert not any("Theirs" in t.value.columns for t in app.table)
    assert next(t for t in app.text_input if t.label == "Name").value == "Their name"
    assert services.get_plan(engine, sample.id).name == "Their name"


def test_a_stale_save_that_changes_nothing_is_refused_too(
    app: AppTest, engine: Engine, sample: Plan
) -> None:
    open_page(app, PAGE)
    services.rename_plan(
        engine, sample.id, "Their name", expected_version=sample.version, actor="Dana"
    )
    click(app, "Save plan settings")
    assert app.error and "Dana" in app.error[0].value
    click(app, "Reload and keep my edits")
    assert next(t for t in app.text_input if t.label == "Name").value == "Their name"


def test_a_stale_plan_says_so_and_reloads(app: AppTest, engine: Engine, sample: Plan) -> None:
    open_page(app, PAGE)
    assert not any("since you opened it" in w.value for w in app.warning)
    services.rename_plan(
        engine, sample.id, "Their name", expected_version=sample.version, actor="Dana"
    )
    app.switch_page("pages/home.py").run()
    app.switch_page(PAGE).run()
    assert app.subheader[0].value == sample.name  # the version I opened, still
    assert any("version " + str(sample.version + 1) in w.value for w in app.warning)
    app.button(key="stale-reload").click().run()
    assert app.subheader[0].value == "Their name"
    assert not any("since you opened it" in w.value for w in app.warning)


def test_targets_conflict_metric_by_metric(app: AppTest, engine: Engine, sample: Plan) -> None:
    open_page(app, PAGE)
    items = services.get_items(engine, sample.id)
    rows = [(i, m.id) for i in items for m in i.metrics]
    item = next(i for i in items if len(i.metrics) >= 2)
    first, second = item.metrics[0].id, item.metrics[1].id
    theirs = [
        Target(metric_id=t.metric_id, value=777.0 if t.metric_id == first else t.value)
        for t in (item.targets or default_targets(item))
    ]
    services.update_items(
        engine,
        sample.id,
        [ItemChange(item.id, {"targets": theirs})],
        expected_version=sample.version,
        actor="Dana",
    )
    key = f"targets-editor-{app.session_state[Keys.EDITOR_ROUND]}"
    app.session_state[key] = {
        "edited_rows": {rows.index((item, second)): {"Target": 555.0}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    app.button(key="save-items").click().run()
    table = conflict_table(app)
    assert list(table["Field"]) == [f"Target: {second}"]  # only the metric I changed
    assert table["Yours"][0].startswith("555") and table["Outcome"][0].endswith("kept")
    click(app, "Reload and keep my edits")
    assert any("1 of your edits put back" in i.value for i in app.info)
    app.button(key="save-items").click().run()
    assert not app.error
    saved = next(i for i in services.get_items(engine, sample.id) if i.id == item.id)
    assert saved.target_for(first).value == 777.0  # theirs
    assert saved.target_for(second).value == 555.0  # mine
