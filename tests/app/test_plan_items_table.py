"""The Plan page's items table: filters, sorting, chosen columns, names for ids, the edit form."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from planner import services
from planner.domain.planning import Plan
from planner.exchange.playbooks import load_default_library
from planner.ui.item_table import DEFAULT_COLUMNS, MAX_EDITOR_ROWS, ItemFilter, filter_frame
from planner.ui.state import Keys
from tests.app.conftest import open_page

PAGE = "pages/plan.py"


def items_table(at: AppTest) -> pd.DataFrame:
    return at.dataframe[0].value  # the items editor is the page's first table


def test_filter_by_status_and_words_then_sort(app: AppTest, sample: Plan) -> None:
    open_page(app, PAGE)
    everything = items_table(app)
    app.multiselect(key="plan.filter.statuses").set_value(["planned"]).run()
    shown = items_table(app)
    assert 0 < len(shown) < len(everything) and set(shown["Status"]) == {"planned"}
    assert any(f"Showing {len(shown)} of {len(everything)} items" in c.value for c in app.caption)
    app.selectbox(key="plan.sort").set_value("Item").run()
    titles = list(items_table(app)["Item"])
    assert titles == sorted(titles, key=str.lower)
    app.toggle(key="plan.sort_reverse").set_value(True).run()
    assert list(items_table(app)["Item"]) == titles[::-1]
    app.multiselect(key="plan.filter.statuses").set_value([]).run()
    app.text_input(key="plan.item_search").input("mentoring psychosocial").run()
    found = items_table(app)
    assert list(found["Item"]) == ["Mentoring with career and psychosocial support"]


def test_filter_by_owner_including_nobody(app: AppTest, sample: Plan) -> None:
    open_page(app, PAGE)
    app.multiselect(key="plan.filter.owners").set_value(["Nobody yet"]).run()
    shown = items_table(app)
    assert len(shown) >= 1 and shown["Owner"].isna().all()
    app.multiselect(key="plan.filter.owners").set_value(["Maya Okafor"]).run()
    assert set(items_table(app)["Owner"]) == {"Maya Okafor"}


def test_an_edit_in_a_filtered_table_saves_the_row_shown(
    app: AppTest, engine: Engine, sample: Plan
) -> None:
    open_page(app, PAGE)
    app.selectbox(key="plan.sort").set_value("Item").run()
    app.toggle(key="plan.sort_reverse").set_value(True).run()
    first = items_table(app).iloc[0]
    how = ItemFilter(sort="Item", reverse=True)
    key = f"items-editor-{app.session_state[Keys.EDITOR_ROUND]}-{how.signature}"
    app.session_state[key] = {
        "edited_rows": {0: {"Notes": "edited while sorted"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    # with unsaved edits the rows cannot be re-sorted under them
    assert app.selectbox(key="plan.sort").disabled
    app.button(key="save-items").click().run()
    assert not app.exception and not app.error
    notes = {i.id: i.notes for i in services.get_items(engine, sample.id)}
    assert notes[first["id"]] == "edited while sorted"
    assert sum(n == "edited while sorted" for n in notes.values()) == 1


def test_names_not_ids_for_category_and_stage(app: AppTest, engine: Engine, sample: Plan) -> None:
    tax = load_default_library().taxonomy
    open_page(app, PAGE)
    shown = items_table(app)
    assert set(shown["Category"]) <= {c.title for c in tax.categories} | {"Custom"}
    stages = {s.title: s.id for s in tax.stages}
    assert set(shown["Stage"].dropna()) <= set(stages) and shown["Stage"].notna().any()
    row = int(shown.index[shown["Stage"].isna()][0])
    app.session_state[f"items-editor-{app.session_state[Keys.EDITOR_ROUND]}"] = {
        "edited_rows": {row: {"Stage": tax.stages[0].title}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    app.button(key="save-items").click().run()
    assert not app.exception and not app.error
    saved = {i.id: i.cop_stage for i in services.get_items(engine, sample.id)}
    assert saved[shown.iloc[row]["id"]] == tax.stages[0].id


def test_columns_chosen_are_shown_and_remembered(app: AppTest, sample: Plan) -> None:
    open_page(app, PAGE)
    assert list(app.dataframe[0].proto.column_order) == ["Item", *DEFAULT_COLUMNS]
    app.pills(key="plan.columns.widget").set_value(["Owner", "Notes"]).run()
    assert list(app.dataframe[0].proto.column_order) == ["Item", "Owner", "Notes"]
    app.switch_page("pages/people.py").run()
    app.switch_page(PAGE).run()
    assert list(app.dataframe[0].proto.column_order) == ["Item", "Owner", "Notes"]


def test_edit_form_saves_every_field_through_the_save_bar(
    app: AppTest, engine: Engine, sample: Plan
) -> None:
    open_page(app, PAGE)
    item = services.get_items(engine, sample.id)[2]
    app.selectbox(key="plan.form_item").set_value(item.id).run()
    round_ = app.session_state[Keys.EDITOR_ROUND]

    def key(name: str) -> str:
        return f"item-form-{round_}-{item.id}-{name}"

    app.text_area(key=key("notes")).input("From the form").run()
    app.selectbox(key=key("status")).set_value("blocked").run()
    app.number_input(key=key("weeks")).set_value(item.duration_weeks + 2).run()
    app.text_input(key=key("audience")).input("Tier 3 agents").run()
    metric = item.metrics[0]
    app.number_input(key=key(f"target-{metric.id}")).set_value(77.0).run()
    assert any("1 item(s) changed" in c.value for c in app.caption)
    assert app.selectbox(key="plan.form_item").disabled  # pick another item after saving
    app.button(key="save-items").click().run()
    assert not app.exception and not app.error
    after = next(i for i in services.get_items(engine, sample.id) if i.id == item.id)
    assert after.notes == "From the form" and after.status == "blocked"
    assert after.duration_weeks == item.duration_weeks + 2 and after.audience == "Tier 3 agents"
    target = after.target_for(metric.id)
    assert target is not None and target.value == 77.0
    for other in item.metrics[1:]:  # the other targets are kept as they were
        before = item.target_for(other.id)
        kept = after.target_for(other.id)
        assert kept is not None and kept.value == (before.value if before else other.target)


def test_filter_frame_sorts_status_in_work_order() -> None:
    frame = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "Item": ["A", "B", "C"],
            "Owner": [None, "Ann", "Bo"],
            "Team": ["", "", ""],
            "Audience": ["", "", ""],
            "Category": ["Custom", "Communities", "Custom"],
            "Notes": ["", "", "x y"],
            "Status": ["done", "planned", "in progress"],
        }
    )
    assert list(filter_frame(frame, ItemFilter(sort="Status"))["id"]) == ["b", "c", "a"]
    assert list(filter_frame(frame, ItemFilter(categories=("Custom",)))["id"]) == ["a", "c"]
    assert list(filter_frame(frame, ItemFilter(words=("y",)))["id"]) == ["c"]
    assert list(filter_frame(frame, ItemFilter(owners=("Nobody yet",)))["id"]) == ["a"]


def test_large_plans_show_the_first_rows_and_say_how_to_see_the_rest(
    app: AppTest, engine: Engine
) -> None:
    plan = services.create_plan(engine, name="Big", actor="Tester")
    for k in range(MAX_EDITOR_ROWS + 5):
        version = services.get_plan(engine, plan.id).version
        services.add_custom_item(
            engine, plan.id, title=f"Task {k:03}", expected_version=version, actor="Tester"
        )
    open_page(app, PAGE)
    assert len(items_table(app)) == MAX_EDITOR_ROWS
    total = MAX_EDITOR_ROWS + 5
    assert any(f"Showing {MAX_EDITOR_ROWS} of {total} matching" in c.value for c in app.caption)
    app.text_input(key="plan.item_search").input(f"task {total - 1}").run()
    assert list(items_table(app)["Item"]) == [f"Task {total - 1}"]
