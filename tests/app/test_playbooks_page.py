"""The Playbooks page: search, filters, cards, coverage heatmap and validation panel."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from planner import services
from planner.exchange.playbooks import load_default_library
from planner.ui.state import Keys
from tests.app.conftest import card_titles, open_page
from tests.unit.test_validation import playbook, tactic, write

PAGE = "pages/playbooks.py"


def test_lists_tactics_with_details(app: AppTest) -> None:
    open_page(app, PAGE)
    total = len(load_default_library().tactics)
    assert app.title[0].value == "Playbooks"
    assert f"of {total} tactics" in app.markdown[0].value or any(
        f"of {total} tactics" in m.value for m in app.markdown
    )
    assert len(card_titles(app)) == min(20, total)
    assert any(e.label.startswith("Details: ") for e in app.expander)
    assert not app.warning  # the built-in library is clean


def test_search_narrows_the_list(app: AppTest) -> None:
    open_page(app, PAGE)
    before = card_titles(app)
    app.text_input(key=Keys.SEARCH).input("working out loud").run()
    after = card_titles(app)
    assert 0 < len(after) < len(before)
    lib = load_default_library()
    by_title = {t.title: t for t in lib.tactics.values()}
    for title in after:
        t = by_title[title]
        hay = " ".join([t.title, t.summary, *(s.text for s in t.steps)]).lower()
        assert "working" in hay and "loud" in hay


def test_search_without_match_says_so(app: AppTest) -> None:
    open_page(app, PAGE)
    app.text_input(key=Keys.SEARCH).input("zzzqqq").run()
    assert card_titles(app) == []
    assert any("No tactic matches" in i.value for i in app.info)


def test_category_filter(app: AppTest) -> None:
    open_page(app, PAGE)
    app.multiselect(key=Keys.CATEGORIES).set_value(["networks"]).run()
    lib = load_default_library()
    expected = sorted(t.title for t in lib.tactics.values() if t.category == "networks")
    assert expected and set(card_titles(app)) <= set(expected)
    assert len(card_titles(app)) == min(20, len(expected))


def test_effort_filter(app: AppTest) -> None:
    open_page(app, PAGE)
    app.multiselect(key=Keys.EFFORTS).set_value(["heavy"]).run()
    lib = load_default_library()
    expected = sorted(t.title for t in lib.tactics.values() if t.effort == "heavy")
    assert expected and set(card_titles(app)) <= set(expected)
    assert len(card_titles(app)) == min(20, len(expected))


def test_coverage_heatmap_has_data(app: AppTest) -> None:
    open_page(app, PAGE)
    spec = json.loads(app.get("plotly_chart")[0].proto.spec)
    heat = spec["data"][0]
    assert heat["type"] == "heatmap"
    assert len(heat["y"]) == 18  # every practice
    assert sum(sum(row) for row in heat["z"]) > 0


def test_broken_user_playbook_shows_in_validation_panel(
    app: AppTest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tactic("my-circle").replace("    metrics:", "    metircs:")
    write(tmp_path, "mine.yaml", playbook(bad, tactic("my-job-aid")))
    monkeypatch.setenv("PLANNER_PLAYBOOKS", str(tmp_path))
    open_page(app, PAGE)
    assert "problem(s) in the playbook files" in app.warning[0].value
    code = app.code[0].value
    assert "mine.yaml:" in code and "unknown field 'metircs'" in code
    app.text_input(key=Keys.SEARCH).input("Title of my-job-aid").run()
    assert card_titles(app) == ["Title of my-job-aid"]  # the valid tactic still shows


def test_library_reloads_only_when_files_change(
    app: AppTest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import planner.exchange.playbooks as playbooks

    write(tmp_path, "mine.yaml", playbook(tactic("my-first")))
    monkeypatch.setenv("PLANNER_PLAYBOOKS", str(tmp_path))
    calls: list[int] = []
    real = playbooks.load_library

    def counting(*args: object, **kwargs: object) -> playbooks.Library:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("planner.ui.loaders.load_library", counting)
    open_page(app, PAGE)
    app.run()
    app.text_input(key=Keys.SEARCH).input("Title of my").run()
    assert card_titles(app) == ["Title of my-first"]
    assert len(calls) == 1  # three reruns, one parse
    write(tmp_path, "more.yaml", playbook(tactic("my-second")))
    app.run()
    assert sorted(card_titles(app)) == ["Title of my-first", "Title of my-second"]
    assert len(calls) == 2


def test_typo_gets_ranked_results_and_a_did_you_mean(app: AppTest) -> None:
    open_page(app, PAGE)
    app.text_input(key=Keys.SEARCH).input("communty of practis").run()
    lib = load_default_library()
    tagged = {t.title for t in lib.tactics.values() if "communities-of-practice" in t.practices}
    assert tagged <= set(card_titles(app))
    [hint] = [b for b in app.button if b.key == "did-you-mean"]
    assert "community of practice" in hint.label
    hint.click().run()
    assert app.text_input(key=Keys.SEARCH).value == "community of practice"


def test_a_suggested_filter_applies_in_one_click(app: AppTest) -> None:
    open_page(app, PAGE)
    app.text_input(key=Keys.SEARCH).input("xq job aids").run()
    assert card_titles(app) == []
    [chip] = [b for b in app.button if b.key == "suggest-practices-job-aids"]
    assert chip.label == "Practice: Provide quick-reference job aids"
    chip.click().run()
    assert app.multiselect(key=Keys.PRACTICES).value == ["job-aids"]
    assert app.text_input(key=Keys.SEARCH).value == ""
    lib = load_default_library()
    expected = {t.title for t in lib.tactics.values() if "job-aids" in t.practices}
    assert expected and set(card_titles(app)) == expected


def test_without_a_plan_a_card_starts_one_with_its_tactic(app: AppTest, engine: Engine) -> None:
    open_page(app, PAGE)
    app.text_input(key=Keys.SEARCH).input("communty of practis").run()
    lib = load_default_library()
    by_title = {t.title: t for t in lib.tactics.values()}
    tactic = next(by_title[c] for c in card_titles(app) if not by_title[c].prerequisites)
    button = app.button(key=f"add-{tactic.id}")
    assert button.label == "Start a plan"
    button.click().run()
    assert not app.exception
    next(t for t in app.text_input if t.label == "Plan name").input("Communities rollout")
    next(b for b in app.button if b.label == "Create the plan and add it").click().run()
    assert not app.exception
    [plan] = services.list_plans(engine, statuses=("draft",))
    assert plan.name == "Communities rollout"
    assert [i.tactic_id for i in services.get_items(engine, plan.id)] == [tactic.id]
    assert app.session_state[Keys.ACTIVE_PLAN] == plan.id
    assert app.button(key=f"add-{tactic.id}").label == "Add to plan"
    assert not [t for t in app.text_input if t.label == "Plan name"]  # the dialog closed


def test_details_say_where_each_number_comes_from(app: AppTest) -> None:
    open_page(app, PAGE)
    app.text_input(key=Keys.SEARCH).input("Onboarding buddy").run()
    shown = " ".join(m.value for m in app.markdown)
    assert "Where the number comes from:" in shown
    assert "from HR start dates" in shown and "baseline read once before the first step" in shown
    assert "Business outcomes it is judged against:** Time to proficiency of new hires" in shown
