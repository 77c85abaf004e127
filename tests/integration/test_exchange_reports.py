"""The review reports (md, ics, xlsx, html) from the sample plan, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine

from planner import services
from planner.domain.planning import ItemChange
from planner.domain.playbook import Metric
from planner.domain.readings import ReadingInput
from planner.exchange.ical import event_uid
from planner.exchange.markdown import md_text
from planner.exchange.playbooks import load_default_library
from planner.exchange.report import NO_ACTIONS, NO_REVIEWS, Report
from planner.exchange.report_sources import review_dates
from planner.services import reviews
from planner.services.readings import record_readings
from planner.services.reports import export_ics, export_markdown, gather_report
from planner.services.sample import create_sample_plan

TODAY = date(2026, 11, 28)
AS_OF = TODAY
FORMULA = '=HYPERLINK("http://evil.example","x")'
SCRIPT = "<script>alert(1)</script>"
EVIL_TITLE = "# Huddles | `rm -rf` <b>bold</b> [link](http://x)"
HELD = date(2026, 11, 27)
"""The day of the review the tests record (the sample has two before it)."""
DECISION_CMD = "=cmd|' /C calc'!A0"
DECISION_SCRIPT = "<script>x</script>"
ACTION_TEXT = "=cmd Ask | the <script>x</script> vendor"


@dataclass(frozen=True)
class Sample:
    plan_id: str
    evil_id: str
    report: Report


def _sample(engine: Engine) -> Sample:
    plan = create_sample_plan(engine, load_default_library(), actor="x", today=TODAY)
    opened = services.open_plan(engine, plan.id)
    first = min(opened.items, key=lambda i: (i.position, i.id))
    services.update_items(
        engine,
        plan.id,
        [ItemChange(first.id, {"notes": f"{FORMULA} {SCRIPT}"})],
        expected_version=opened.plan.version,
        actor="x",
    )
    evil = services.add_custom_item(
        engine,
        plan.id,
        title=EVIL_TITLE,
        duration_weeks=4,
        notes=FORMULA,
        pinned_start=plan.start_date,
        metrics=[
            Metric(
                id="attendees",
                name="Attendees",
                unit="people",
                aggregation="latest",
                direction="higher",
                target=20,
                cadence="weekly",
                definition="Distinct people who came in the week.",
                framework="value-applied",
            )
        ],
        expected_version=opened.plan.version + 1,
        actor="x",
    )
    record_readings(
        engine,
        plan.id,
        [ReadingInput(evil.id, "attendees", plan.start_date + timedelta(days=9), 3, SCRIPT)],
        actor="x",
    )
    reviews.record_review(
        engine,
        plan.id,
        date=HELD,
        attendees=["Maya <b>Chen</b>", "=Guest"],
        notes=f"Notes {SCRIPT}",
        decisions=[DECISION_CMD, DECISION_SCRIPT],
        new_actions=[reviews.NewAction(ACTION_TEXT, None, HELD, "Outside =Partner")],
        actor="x",
    )
    return Sample(plan.id, evil.id, gather_report(engine, plan.id, AS_OF))


@pytest.fixture
def sample(engine: Engine) -> Sample:
    return _sample(engine)


# --- the shared report ----------------------------------------------------------------------


def test_the_report_gathers_items_statuses_owners_and_suppressed_counts(sample: Sample) -> None:
    report = sample.report
    assert report.as_of == AS_OF
    assert len(report.items) >= 2
    assert {i.status for i in report.items} & {"at risk", "off track"}
    assert any(i.owner for i in report.items)
    assert any(i.stories for i in report.items)
    assert any(i.last_reading for i in report.items)
    evil = next(i for i in report.items if i.id == sample.evil_id)
    assert evil.metrics[0].actual == "< 5"
    assert [r.value for r in report.readings if r.item_id == sample.evil_id] == ["< 5"]
    assert sum(report.counts.values()) == sum(1 for i in report.items if i.status != "dropped")
    attention = report.attention()
    assert [i.status for i in attention] == sorted(
        (i.status for i in attention), key=["off track", "at risk"].index
    )
    # fortnightly, from the last review held, through the plan's last day
    assert report.reviews[0] == HELD + timedelta(days=14) == report.next_review
    assert all(
        b - a == timedelta(days=14)
        for a, b in zip(report.reviews, report.reviews[1:], strict=False)
    )
    assert report.reviews[-1] <= report.last_day < report.reviews[-1] + timedelta(days=14)
    # reviews held up to the date, newest first: the sample's two and ours
    assert [r.date for r in report.held] == [
        HELD,
        TODAY - timedelta(weeks=2),
        TODAY - timedelta(weeks=4),
    ]
    ours = report.held[0]
    assert ours.decisions == (DECISION_CMD, DECISION_SCRIPT)
    assert ours.attendees == ("Maya <b>Chen</b>", "=Guest")
    assert ours.actions_raised == 1
    assert report.held[2].adoption_index is not None
    assert len(report.held[2].decisions) == 2
    # action items: open ones first (by due date), then closed ones
    assert [a.status for a in report.actions] == ["open", "open", "done"]
    assert report.actions[0].text == ACTION_TEXT
    assert report.actions[0].owner == "Outside =Partner"
    assert report.actions[0].raised_at == HELD and report.actions[0].overdue  # due HELD
    assert report.actions[1].owner  # a person's current name
    assert report.actions[2].closed_at == TODAY - timedelta(weeks=2)


def test_the_report_shows_reviews_and_actions_as_they_stood_on_the_date(
    engine: Engine, sample: Sample
) -> None:
    first, second = TODAY - timedelta(weeks=4), TODAY - timedelta(weeks=2)
    before = gather_report(engine, sample.plan_id, first - timedelta(days=1))
    assert before.held == () and before.actions == ()
    assert before.reviews[0] == before.plan.start_date + timedelta(days=14)
    between = gather_report(engine, sample.plan_id, second - timedelta(days=1))
    assert [r.date for r in between.held] == [first]
    # the template was closed at the second review: still open (and overdue) before it
    assert [a.status for a in between.actions] == ["open", "open"]
    assert between.actions[0].overdue and between.actions[0].closed_at is None
    assert between.next_review == first + timedelta(days=14)


def test_reports_of_a_plan_without_reviews_say_so(engine: Engine) -> None:
    from planner.services.reports import export_html

    plan = services.create_plan(
        engine,
        name="Empty",
        description="",
        start_date=date(2026, 11, 2),
        review_cadence="weekly",
        status="active",
        actor="x",
    )
    report = gather_report(engine, plan.id, AS_OF)
    assert report.held == () and report.actions == ()
    assert report.next_review == date(2026, 11, 30)
    text = export_markdown(engine, plan.id, as_of=AS_OF).decode()
    assert NO_ACTIONS in text and NO_REVIEWS in text
    assert "not available" not in text
    page = export_html(engine, plan.id, as_of=AS_OF).decode()
    assert "No reviews recorded yet" in page and "No action items yet" in page


def test_review_dates_follow_each_cadence() -> None:
    start = date(2027, 1, 31)
    assert review_dates(start, date(2027, 2, 21), "weekly") == (
        date(2027, 2, 7),
        date(2027, 2, 14),
        date(2027, 2, 21),
    )
    assert review_dates(start, date(2027, 2, 28), "fortnightly") == (
        date(2027, 2, 14),
        date(2027, 2, 28),
    )
    assert review_dates(start, date(2027, 5, 1), "monthly") == (
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
    )
    assert review_dates(start, date(2028, 1, 31), "quarterly") == (
        date(2027, 4, 30),
        date(2027, 7, 31),
        date(2027, 10, 31),
        date(2028, 1, 31),
    )
    assert review_dates(start, start, "weekly") == ()


# --- Markdown ---------------------------------------------------------------------------------


def test_md_text_escapes_markdown() -> None:
    assert md_text("a | b") == "a \\| b"
    assert md_text("`code`") == "\\`code\\`"
    assert md_text("# heading") == "\\# heading"
    assert md_text("- item") == "\\- item"
    assert md_text("1. one") == "1\\. one"
    assert md_text("<script>") == "\\<script\\>"
    assert md_text("two\nlines") == "two lines"
    assert md_text("[x](y)") == "\\[x\\]\\(y\\)"


def test_markdown_summary_lists_attention_first_and_escapes_user_text(
    engine: Engine, sample: Sample
) -> None:
    data = export_markdown(engine, sample.plan_id, as_of=AS_OF)
    text = data.decode("utf-8")
    report = sample.report
    assert text.startswith(f"# {md_text(report.plan.name)}: review summary\n")
    assert "As of 28 Nov 2026" in text
    index = f"{round(report.adoption_index * 100)}%" if report.adoption_index else "—"
    assert f"Adoption index: **{index}**" in text
    for status, count in report.counts.items():
        assert f"{status} {count}" in text
    attention, others = text.index("## Needs attention"), text.index("## Other items")
    for item in report.attention():
        line = next(ln for ln in text.splitlines() if ln.startswith(f"| {md_text(item.title)} |"))
        assert attention < text.index(line) < others
        assert f"**{item.status}**" in line
        assert (md_text(item.owner) or "—") in line
        if item.last_reading:
            assert f"{item.last_reading.day} {item.last_reading:%b %Y}" in line
    # the evil title: escaped, one table row of exactly six cells, no raw HTML
    evil = next(ln for ln in text.splitlines() if "Huddles" in ln and "rm" in ln)
    assert evil.startswith("| \\# Huddles \\| \\`rm -rf\\` \\<b\\>bold\\</b\\> \\[link\\]")
    assert len(evil.replace("\\|", "").split("|")) == 8
    assert "<b>" not in text and "<script>" not in text
    assert "## Action items" in text and "## Reviews" in text
    assert "Planned review dates:" in text
    assert NO_ACTIONS not in text and NO_REVIEWS not in text
    actions, reviews_at = text.index("## Action items"), text.index("## Reviews")
    action_lines = [ln for ln in text[actions:reviews_at].splitlines() if ln.startswith("| ")]
    assert action_lines[0] == "| Action | Owner | Due | Status | Raised at review |"
    assert action_lines[1].startswith(f"| {md_text(ACTION_TEXT)} | Outside =Partner |")
    assert "**open**" in action_lines[1] and "**done**" in action_lines[-1]
    assert len(action_lines[1].replace("\\|", "").split("|")) == 7
    held = text[reviews_at:]
    assert held.index("### Review of 27 Nov 2026") < held.index("### Review of 14 Nov 2026")
    assert f"  - {md_text(DECISION_CMD)}" in held
    assert "  - \\<script\\>x\\</script\\>" in held
    assert "- Attendees: Maya \\<b\\>Chen\\</b\\>, \\=Guest" in held
    assert "- Adoption index then: " in held
    assert "Keep the peer circles at four people each until week six." in held
    # deterministic
    assert export_markdown(engine, sample.plan_id, as_of=AS_OF) == data
    assert export_markdown(engine, sample.plan_id, as_of=AS_OF + timedelta(days=7)) != data


# --- iCalendar --------------------------------------------------------------------------------


def test_ics_holds_starts_ends_milestones_and_reviews_with_stable_uids(
    engine: Engine, sample: Sample
) -> None:
    from icalendar import Calendar

    data = export_ics(engine, sample.plan_id, as_of=AS_OF)
    cal = Calendar.from_ical(data)
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    report = sample.report
    plan_id = sample.plan_id
    live = [i for i in report.items if i.work_status != "dropped"]
    review_days = {r.date for r in report.held} | set(report.reviews) | {report.next_review}
    expected = 2 * len(live) + len(report.milestones) + len(review_days)
    assert len(events) == expected == len(cal.walk("VEVENT"))
    for item in live:
        start = events[event_uid(plan_id, item.id, "start")]
        assert start.decoded("dtstart") == item.start
        assert start.decoded("dtend") == item.start + timedelta(days=1)
        assert str(start["summary"]) == f"Start: {item.title}"
        end = events[event_uid(plan_id, item.id, "end")]
        assert end.decoded("dtstart") == item.last_day
    assert report.milestones
    for milestone in report.milestones:
        event = events[event_uid(plan_id, milestone.item_id, f"step-{milestone.index}")]
        assert event.decoded("dtstart") == milestone.date
        assert milestone.text in str(event["summary"])
    for day in report.reviews:
        event = events[event_uid(plan_id, "review", f"{day:%Y%m%d}")]
        assert event.decoded("dtstart") == day
        assert str(event["summary"]) == f"Review: {report.plan.name}"
    for review in report.held:
        event = events[event_uid(plan_id, "review", f"{review.date:%Y%m%d}")]
        assert event.decoded("dtstart") == review.date
        assert str(event["summary"]) == f"Review held: {report.plan.name}"
    held = events[event_uid(plan_id, "review", f"{HELD:%Y%m%d}")]
    description = str(held["description"])
    assert f"Decision: {DECISION_CMD}" in description
    assert f"Decision: {DECISION_SCRIPT}" in description
    assert "Attendees: Maya <b>Chen</b>, =Guest" in description
    assert all(uid.startswith(plan_id + ".") for uid in events)
    stamps = {e.decoded("dtstamp") for e in events.values()}
    assert [s.isoformat() for s in stamps] == ["2026-11-28T00:00:00+00:00"]
    # the evil title survives as text
    assert str(events[event_uid(plan_id, sample.evil_id, "start")]["summary"]) == (
        f"Start: {EVIL_TITLE}"
    )
    # deterministic; a later as-of date keeps every UID (a re-import updates)
    assert export_ics(engine, sample.plan_id, as_of=AS_OF) == data
    later = Calendar.from_ical(export_ics(engine, plan_id, as_of=AS_OF + timedelta(days=30)))
    assert {str(e["uid"]) for e in later.walk("VEVENT")} == set(events)


# --- workbook ---------------------------------------------------------------------------------


def test_xlsx_has_frozen_sheets_status_fills_dates_and_neutralised_text(
    engine: Engine, sample: Sample
) -> None:
    import io

    from openpyxl import load_workbook

    from planner.domain.theme import PROGRESS_COLORS
    from planner.exchange.xlsx import SHEETS
    from planner.services.reports import export_xlsx

    data = export_xlsx(engine, sample.plan_id, as_of=AS_OF)
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == list(SHEETS)
    for name in SHEETS:
        ws = wb[name]
        assert ws.freeze_panes == "A2"
        assert ws["A1"].font.bold
        assert ws.column_dimensions["A"].width > 8
    report = sample.report

    summary = wb["Summary"]
    assert summary["B2"].value == report.plan.name
    assert summary["B4"].value.date() == AS_OF  # a real date cell
    assert summary["B4"].is_date and summary["B4"].number_format == "d mmm yyyy"
    assert summary["A10"].value == "Adoption index"
    assert summary["B10"].value == round(report.adoption_index, 2)
    assert summary["B10"].number_format == "0%"

    items = wb["Items"]
    headers = [c.value for c in items[1]]
    assert headers[:2] == ["item id", "item"] and "status" in headers
    rows = {row[0].value: row for row in items.iter_rows(min_row=2)}
    assert set(rows) == {i.id for i in report.items}
    status_col = headers.index("status")
    for item in report.items:
        row = rows[item.id]
        assert row[1].value == item.title
        assert row[headers.index("start")].is_date
        assert row[headers.index("start")].value.date() == item.start
        assert row[headers.index("stories")].value == item.stories
        cell = row[status_col]
        assert cell.value == item.status
        if item.status in PROGRESS_COLORS:
            colour = PROGRESS_COLORS[item.status].lstrip("#").upper()
            assert cell.fill.fill_type == "solid"
            assert cell.fill.fgColor.rgb == "FF" + colour
    notes = headers.index("notes")
    first = min(report.items, key=lambda i: i.start).id  # any row will do: find the note
    assert any(r[notes].value == f"'{FORMULA} {SCRIPT}" for r in rows.values()), first
    evil = rows[sample.evil_id]
    assert evil[notes].value == "'" + FORMULA  # text, not a formula
    assert evil[notes].data_type == "s"

    metrics = wb["Metrics"]
    m_headers = [c.value for c in metrics[1]]
    evil_metric = next(r for r in metrics.iter_rows(min_row=2) if r[0].value == sample.evil_id)
    assert evil_metric[m_headers.index("actual")].value == "< 5"
    numbers = [
        r[m_headers.index("target")].value
        for r in metrics.iter_rows(min_row=2)
        if r[m_headers.index("target")].value is not None
    ]
    assert numbers and all(isinstance(n, int | float) for n in numbers)
    assert sum(1 for _ in metrics.iter_rows(min_row=2)) == sum(len(i.metrics) for i in report.items)

    readings = wb["Readings"]
    evil_reading = next(r for r in readings.iter_rows(min_row=2) if r[0].value == sample.evil_id)
    assert [c.value for c in evil_reading][5:] == ["< 5", "manual", SCRIPT]
    assert evil_reading[4].is_date

    actions = wb["Actions"]
    assert [c.value for c in actions[1]] == [
        "action", "owner", "due", "status", "raised at review", "closed at review", "overdue",
    ]  # fmt: skip
    action_rows = list(actions.iter_rows(min_row=2))
    assert len(action_rows) == len(report.actions) == 3
    first = action_rows[0]
    assert first[0].value == "'" + ACTION_TEXT and first[0].data_type == "s"
    assert first[1].value == "Outside =Partner"
    assert first[2].is_date and first[2].value.date() == HELD
    assert first[4].is_date and first[4].value.date() == HELD
    assert [r[3].value for r in action_rows] == ["open", "open", "done"]
    assert action_rows[2][5].value.date() == TODAY - timedelta(weeks=2)
    reviews_ws = wb["Reviews"]
    assert [c.value for c in reviews_ws[1]] == [
        "date", "status", "attendees", "adoption index", "decisions", "notes",
    ]  # fmt: skip
    review_rows = list(reviews_ws.iter_rows(min_row=2))
    days = [r[0].value.date() for r in review_rows]
    assert days == sorted(days) and all(r[0].is_date for r in review_rows)
    planned = [r[0].value.date() for r in review_rows if r[1].value == "planned"]
    assert planned == list(report.reviews)
    held = [r for r in review_rows if r[1].value == "held"]
    assert [r[0].value.date() for r in held] == sorted(r.date for r in report.held)
    ours = held[-1]
    assert ours[2].value == "Maya <b>Chen</b>, =Guest"
    assert ours[4].value == f"'{DECISION_CMD}\n{DECISION_SCRIPT}" and ours[4].data_type == "s"
    assert ours[5].value == f"Notes {SCRIPT}"
    assert isinstance(held[0][3].value, float) and held[0][3].number_format == "0%"
    assert NO_REVIEWS not in [r[0].value for r in review_rows]
    assert wb.properties.created.date() == AS_OF == wb.properties.modified.date()

    assert export_xlsx(engine, sample.plan_id, as_of=AS_OF) == data


# --- HTML -------------------------------------------------------------------------------------


def test_html_report_is_self_contained_escaped_and_shows_status_words(
    engine: Engine, sample: Sample
) -> None:
    import html
    from html.parser import HTMLParser

    from planner.domain.theme import PROGRESS_COLORS
    from planner.services.reports import export_html

    data = export_html(engine, sample.plan_id, as_of=AS_OF)
    text = data.decode("utf-8")
    report = sample.report

    class Tags(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: list[str] = []
            self.urls: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.tags.append(tag)
            self.urls += [v or "" for k, v in attrs if k in ("src", "href")]

    parser = Tags()
    parser.feed(text)
    assert "script" not in parser.tags  # the note's <script> is text, not a tag
    assert parser.urls == []  # nothing to fetch: no network needed
    assert "link" not in parser.tags and "@import" not in text and "url(" not in text
    assert html.escape(SCRIPT) in text and SCRIPT not in text
    assert html.escape(EVIL_TITLE) in text
    assert "@media print" in text
    assert f"<h1>{html.escape(report.plan.name)}</h1>" in text
    for item in report.items:
        assert html.escape(item.title) in text
    for status in {i.status for i in report.items} - {"dropped"}:
        assert f'style="background:{PROGRESS_COLORS[status]}">{status}</span>' in text
    attention, others = text.index("<h2>Needs attention</h2>"), text.index("<h2>Other items")
    for item in report.attention():
        assert attention < text.index(f'id="item-{item.id}"') < others
    assert "<h2>Action items</h2>" in text and "<h2>Reviews</h2>" in text
    assert "&lt; 5" in text  # the suppressed small count
    # decisions, notes, attendees and actions: shown, as text
    assert f"<li>{html.escape(DECISION_SCRIPT)}</li>" in text
    assert f"<li>{html.escape(DECISION_CMD)}</li>" in text
    assert DECISION_SCRIPT not in text and "<b>Chen</b>" not in text
    assert html.escape("Maya <b>Chen</b>") in text
    assert f"<td>{html.escape(ACTION_TEXT)}</td>" in text
    actions_at, reviews_at = text.index("<h2>Action items</h2>"), text.index("<h2>Reviews</h2>")
    action = next(a for a in report.actions if a.status == "done")
    assert (
        actions_at
        < text.index(f'id="action-{report.actions[0].id}"')
        < text.index(f'id="action-{action.id}"')
        < reviews_at
    )
    assert reviews_at < text.index("Review of 27 Nov 2026") < text.index("Review of 14 Nov 2026")
    assert "No reviews recorded yet" not in text and "No action items yet" not in text
    assert export_html(engine, sample.plan_id, as_of=AS_OF) == data


# --- the command line -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["md", "ics", "xlsx", "html"])
def test_planner_export_writes_each_report(
    kind: str, tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    from pathlib import Path

    from planner.cli import main
    from planner.services.reports import export_html, export_xlsx
    from planner.store import make_engine, migrate

    folder = Path(str(tmp_path))
    db = f"sqlite:///{folder / 'planner.db'}"
    engine = make_engine(db)
    migrate(engine)
    try:
        plan_id = _sample(engine).plan_id
        expected = {
            "md": export_markdown,
            "ics": export_ics,
            "xlsx": export_xlsx,
            "html": export_html,
        }[kind](engine, plan_id, as_of=AS_OF)
    finally:
        engine.dispose()
    out = folder / f"report.{kind}"
    argv = ["export", plan_id, "--format", kind, "-o", str(out), "--as-of", "2026-11-28"]
    assert main([*argv, "--db", db]) == 0
    assert out.read_bytes() == expected
    assert f"wrote {out}" in capsys.readouterr().err


# --- issue 8: coverage, rounding, names, filters, ampersands --------------------------------


def test_md_text_keeps_ampersands_readable_and_entities_literal() -> None:
    assert md_text("Q&A with R & D") == "Q&A with R & D"  # no visible "\&"
    assert md_text("&lt;script&gt;") == "&amp;lt;script&amp;gt;"  # shows as typed
    assert md_text("&#60;b&#x3e;") == "&amp;\\#60;b&amp;\\#x3e;"
    assert "\\&" not in md_text("Tom & Jerry & co")


def test_every_report_states_the_index_coverage_and_rounds_figures(sample: Sample) -> None:
    from planner.exchange.html_report import html_report
    from planner.exchange.markdown import markdown_summary

    report = sample.report
    coverage = report.coverage
    assert coverage is not None and 0 < coverage.counted < coverage.total
    words = f"{coverage.counted} of {coverage.total} metrics counted"
    assert report.index_text.endswith(words)
    assert words in markdown_summary(report)
    html = html_report(report)
    assert words in html
    # no false precision: at most two decimals in any figure cell of the metrics table
    import re

    metrics = html[html.index("<h2>Metrics</h2>") : html.index("<h2>Action items</h2>")]
    assert not re.search(r"<td>-?[\d,]+\.\d{3,}</td>", metrics)
    assert "<th>Baseline</th>" in metrics


def test_xlsx_names_categories_rounds_figures_and_filters_every_table(
    engine: Engine, sample: Sample
) -> None:
    import io

    from openpyxl import load_workbook

    from planner.exchange.playbooks import category_titles
    from planner.services.reports import export_xlsx

    wb = load_workbook(io.BytesIO(export_xlsx(engine, sample.plan_id, as_of=AS_OF)))
    for name in ("Items", "Metrics", "Readings", "Actions", "Reviews"):
        ws = wb[name]
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), name
    items = wb["Items"]
    categories = {row[2] for row in items.iter_rows(min_row=2, values_only=True)}
    assert categories <= set(category_titles().values()) | {"Custom"}
    metrics = wb["Metrics"]
    header = [c.value for c in metrics[1]]
    assert header[-3:] == ["baseline", "baseline from", "compared"]
    for row in metrics.iter_rows(min_row=2, values_only=True):
        for value in row[5:9]:
            if isinstance(value, float):
                assert round(value, 2) == value
    summary = wb["Summary"]
    assert summary["A11"].value == "Index coverage"
    assert str(sample.report.coverage) == summary["B11"].value


# --- the report services --------------------------------------------------------------------


def test_each_report_kind_is_its_pure_format_of_the_gathered_report(
    engine: Engine, sample: Sample
) -> None:
    """`services.reports.report_bytes` reads once (`gather_report`) and hands the `Report` to
    the format: the bytes are the format's of the record, and the export_* functions agree."""
    from planner.exchange.html_report import html_bytes
    from planner.exchange.ical import ics_bytes
    from planner.exchange.markdown import markdown_bytes
    from planner.exchange.xlsx import xlsx_bytes
    from planner.services.reports import (
        REPORT_KINDS,
        export_html,
        export_xlsx,
        report_bytes,
    )

    formats = {"md": markdown_bytes, "ics": ics_bytes, "xlsx": xlsx_bytes, "html": html_bytes}
    assert formats == REPORT_KINDS
    for kind, write in formats.items():
        assert report_bytes(engine, sample.plan_id, kind, AS_OF) == write(sample.report), kind
    assert export_markdown(engine, sample.plan_id, as_of=AS_OF) == markdown_bytes(sample.report)
    assert export_ics(engine, sample.plan_id, as_of=AS_OF) == ics_bytes(sample.report)
    assert export_xlsx(engine, sample.plan_id, as_of=AS_OF) == xlsx_bytes(sample.report)
    assert export_html(engine, sample.plan_id, as_of=AS_OF) == html_bytes(sample.report)


def test_an_unknown_report_kind_names_the_kinds_there_are(engine: Engine, sample: Sample) -> None:
    from planner.errors import PlannerError
    from planner.services.reports import report_bytes

    with pytest.raises(PlannerError, match="'pdf' is not a report format; use one of md, ics"):
        report_bytes(engine, sample.plan_id, "pdf", AS_OF)


def test_review_csv_service_is_export_review_csv(engine: Engine, sample: Sample) -> None:
    from planner.services.reports import export_review_csv, review_csv

    data = review_csv(engine, sample.plan_id, AS_OF)
    assert data == export_review_csv(engine, sample.plan_id, as_of=AS_OF)
    assert review_csv(engine, sample.plan_id, AS_OF, excel=True) == b"\xef\xbb\xbf" + data
