"""The Progress page's Tool exports tab: upload, preview what was recognised, then import."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from planner import services
from planner.domain.periods import period_of
from planner.domain.planning import Plan
from planner.services import readings
from tests.app.conftest import ROOT, open_page
from tests.community_files import Person, teams_export

PAGE = "pages/progress.py"
REFRESH = dt.date(2026, 11, 29)


def export(active: int, idle: int) -> bytes:
    people = [Person(n, REFRESH if n < active else None) for n in range(active + idle)]
    return teams_export(people, REFRESH, 30, bom=True)


def community(engine: Engine, plan: Plan) -> str:
    from planner.services.community import community_items

    return community_items(services.get_items(engine, plan.id))[0].id


def preview(app: AppTest, data: bytes) -> AppTest:
    app.file_uploader(key="community.files").set_value(
        ("TeamsUserActivityUserDetail.csv", data, "text/csv")
    )
    next(b for b in app.button if b.label == "Preview").click().run()
    assert not app.exception, app.exception
    return app


def test_upload_preview_then_import(app: AppTest, engine: Engine, sample: Plan) -> None:
    open_page(app, PAGE)
    item_id = community(engine, sample)
    preview(app, export(active=12, idle=30))
    text = " ".join(str(m.value) for m in app.markdown)
    assert "Microsoft Teams user activity detail" in text
    assert "30 days, 31 Oct 2026 to 29 Nov 2026" in text and "42 rows" in text
    frame = app.dataframe[-1].value
    assert list(frame["Metric"])[1:] == ["Active members", "Contributors"]
    assert list(frame["Value"]) == ["42", "12", "< 5"]  # no one posted: 0 people, shown "< 5"
    before = readings.list_readings(engine, sample.id, item_id=item_id, metric_id="members")
    assert all(r.source != "teams" for r in before)  # a preview writes nothing

    app.button(key="community-import").click().run()
    assert not app.exception, app.exception
    stored = readings.list_readings(engine, sample.id, item_id=item_id, metric_id="members")
    (teams,) = [r for r in stored if r.source == "teams"]
    item = next(i for i in services.get_items(engine, sample.id) if i.id == item_id)
    metric = readings.metric_for(item, "members")
    assert metric is not None
    assert (teams.value, teams.period) == (42, period_of(REFRESH, metric.cadence).key)
    assert "3 reading(s) created" in app.success[0].value


def test_a_different_figure_says_it_replaces_and_bad_files_are_errors(
    app: AppTest, engine: Engine, sample: Plan
) -> None:
    open_page(app, PAGE)
    item_id = community(engine, sample)
    preview(app, export(active=12, idle=30))
    app.button(key="community-import").click().run()
    preview(app, export(active=15, idle=27))
    frame = app.dataframe[-1].value
    assert "replaces 12 (Microsoft Teams)" in list(frame["What happens"])
    assert any("will be replaced" in w.value for w in app.warning)
    button = app.button(key="community-import")
    assert button.label == "Import and replace 1"
    button.click().run()
    stored = readings.list_readings(engine, sample.id, item_id=item_id, metric_id="active-members")
    assert [r.value for r in stored if r.source == "teams"] == [15]

    preview(app, b"Report Refresh Date,Nope\n2026-11-29,1\n")
    assert "not an export the planner recognises" in app.error[0].value
    assert not any(b.key == "community-import" for b in app.button)


def test_the_history_keeps_one_line_per_period_whichever_tool_fed_it() -> None:
    from types import SimpleNamespace as R

    from planner.ui.community_import import history_frame

    rows = [
        R(metric_id="members", period="2026-W47", date=REFRESH, value=40.0, source="teams"),
        R(metric_id="contributors", period="2026-W47", date=REFRESH, value=3.0, source="teams"),
        R(metric_id="members", period="2026-W48", date=REFRESH, value=1200.0, source="slack"),
        R(metric_id="sessions", period="2026-W48", date=REFRESH, value=1.0, source="manual"),
        R(metric_id="members", period="2026-W49", date=REFRESH + 7 * dt.timedelta(1), value=9.0,
          source="slack"),
    ]  # fmt: skip
    frame = history_frame(rows, REFRESH)  # type: ignore[arg-type]
    assert list(frame["Period"]) == ["2026-W48", "2026-W47"]  # W49 is after the as-of date
    mixed = [
        R(metric_id="members", period="2026-11", date=REFRESH, value=50.0, source="teams"),
        R(metric_id="members", period="2026-W47", date=REFRESH, value=40.0, source="slack"),
        R(metric_id="members", period="2026-Q3", date=REFRESH, value=30.0, source="manual"),
    ]  # fmt: skip
    newest_first = history_frame(mixed, REFRESH)  # type: ignore[arg-type]
    assert list(newest_first["Period"]) == ["2026-11", "2026-W47", "2026-Q3"]  # by their days
    assert list(frame["Members"]) == ["1,200 (Slack)", "40 (Microsoft Teams)"]
    assert list(frame["Contributors"]) == ["", "< 5 (Microsoft Teams)"]


def test_the_communities_tab_shows_the_history_with_sources(
    app: AppTest, engine: Engine, sample: Plan
) -> None:
    open_page(app, PAGE)
    preview(app, export(active=12, idle=30))
    app.button(key="community-import").click().run()
    frames = [d.value for d in app.dataframe if "Period" in getattr(d.value, "columns", [])]
    assert any(
        "42 (Microsoft Teams)" in list(f["Members"]) for f in frames if "Members" in f.columns
    )


def test_a_channel_mapping_sends_each_channel_to_its_item(
    app: AppTest, engine: Engine, sample: Plan
) -> None:
    from planner.services.community import community_items
    from tests.community_files import slack_channels_export

    open_page(app, PAGE)
    target = community_items(services.get_items(engine, sample.id))[-1]
    data = slack_channels_export([("ask-data", 210, 31), ("random", 900, 200)])
    app.file_uploader(key="community.files").set_value(
        ("Acme Channel Analytics Prior 30 Days - Nov 29, 2026.csv", data, "text/csv")
    )
    app.file_uploader(key="community.mapping").set_value(
        ("channels.yaml", f"'#ask-data': {target.id}\n".encode(), "application/yaml")
    )
    next(b for b in app.button if b.label == "Preview").click().run()
    assert not app.exception, app.exception
    assert not app.error, app.error[0].value
    frame = app.dataframe[-1].value
    assert set(frame["Item"]) == {target.title}
    assert any("'random' is not in the mapping" in c.value for c in app.caption)
    app.button(key="community-import").click().run()
    stored = readings.list_readings(engine, sample.id, item_id=target.id, metric_id="contributors")
    assert [r.value for r in stored if r.source == "slack"] == [31]


NOV_CHANNELS = "Acme Channel Analytics Prior 30 Days - Nov 29, 2026.csv"
DEC_CHANNELS = "Acme Channel Analytics Prior 30 Days - Dec 27, 2026.csv"


def test_a_chosen_mapping_is_saved_with_the_plan_and_next_months_file_needs_no_choice(
    app: AppTest, engine: Engine, sample: Plan
) -> None:
    from planner.services.community import community_items, saved_channel_mapping
    from tests.community_files import slack_channels_export

    open_page(app, PAGE)
    target = community_items(services.get_items(engine, sample.id))[-1]
    nov = slack_channels_export([("ask-data", 210, 31), ("random", 900, 200)])
    app.file_uploader(key="community.files").set_value((NOV_CHANNELS, nov, "text/csv"))
    app.file_uploader(key="community.mapping").set_value(
        ("channels.yaml", f"'#ask-data': {target.id}\n".encode(), "application/yaml")
    )
    next(b for b in app.button if b.label == "Preview").click().run()
    assert not app.exception, app.exception
    # per-community files cannot leave opted-out people out: said plainly
    assert any("cannot be left out" in i.value for i in app.info)
    assert any("Mapping chosen: ask-data" in c.value for c in app.caption)
    version = services.get_plan(engine, sample.id).version
    app.button(key="community-save-mapping").click().run()
    assert not app.exception, app.exception
    assert saved_channel_mapping(engine, sample.id).entries == (("ask-data", target.id),)
    assert services.get_plan(engine, sample.id).version == version + 1
    app.button(key="community-import").click().run()
    assert not app.exception, app.exception

    # next month, a fresh page: the saved mapping is shown and used without any choice
    app = open_page(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), PAGE)
    assert any("Saved channel mapping" in c.value and target.title in c.value for c in app.caption)
    dec = slack_channels_export([("ask-data", 230, 40), ("random", 910, 190)])
    app.file_uploader(key="community.files").set_value((DEC_CHANNELS, dec, "text/csv"))
    next(b for b in app.button if b.label == "Preview").click().run()
    assert not app.exception, app.exception
    assert set(app.dataframe[-1].value["Item"]) == {target.title}
    assert not [b for b in app.button if b.key == "community-save-mapping"]  # nothing new
    app.button(key="community-import").click().run()
    stored = readings.list_readings(engine, sample.id, item_id=target.id, metric_id="contributors")
    assert sorted(r.value for r in stored if r.source == "slack") == [31, 40]

    app.button(key="community-forget-mapping").click().run()
    assert not app.exception, app.exception
    assert not saved_channel_mapping(engine, sample.id)


def test_a_big_file_is_read_with_a_progress_bar(app: AppTest, engine: Engine, sample: Plan) -> None:
    from planner.ui.community_import import BAR_FROM_BYTES

    open_page(app, PAGE)
    data = export(active=6_000, idle=6_000)
    assert len(data) >= BAR_FROM_BYTES
    preview(app, data)
    (bar,) = app.get("progress")
    assert bar.proto.value == 100
    assert "Read 12,000 rows from 1 file." in bar.proto.text
    small = export(active=12, idle=30)
    preview(app, small)
    assert not app.get("progress")  # a small file: no bar
