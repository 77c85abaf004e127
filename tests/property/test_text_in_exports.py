"""Any text in any field survives every export as text (real services, temp-file SQLite).

A plan is written with generated text in every field a user types (plan name and description,
people's names, item title, team and notes, a metric's name, a reading's note, a story, a
review's attendees, notes and decision, an action item's text and free-text owner), and a twin
plan with the same structure and plain text ("x") in the same fields. Then, for each export:

- review CSV and XLSX: no cell is a formula (none starts with = + - @ tab or CR unless it is a
  plain number; the XLSX has no formula cells) and the item title is there, neutralised (in
  the XLSX without the control characters XML cannot hold);
- HTML (html.parser): the same elements and attributes as the twin's, in the same order, and
  the texts are there as text;
- ICS (icalendar): the same events and properties as the twin's, and the item's start event's
  summary is `Start: ` and the title on one line (`ical.one_line`);
- Markdown: the same lines and table cells as the twin's, and the title there as `md_text`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from icalendar import Calendar
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import Engine

from planner import services
from planner.domain.planning import ItemChange, Target
from planner.domain.playbook import Metric
from planner.exchange.csvsafe import FORMULA_PREFIXES, neutralise
from planner.exchange.html_report import html_bytes
from planner.exchange.ical import ics_bytes, one_line
from planner.exchange.markdown import markdown_bytes, md_text
from planner.exchange.xlsx import xlsx_bytes
from planner.services import reviews
from planner.services.readings import record_readings
from planner.services.reports import export_review_csv, gather_report
from planner.services.stories import add_story
from planner.store import make_engine, migrate
from tests.property.conftest import examples
from tests.property.strategies import any_text, short, some_text

START = date(2027, 1, 4)
AS_OF = date(2027, 2, 15)
FIELDS = {
    "plan_name": short(some_text, 150),
    "description": any_text,
    "lead": short(some_text, 150),
    "owner": short(some_text, 150),
    "title": short(some_text, 250),
    "team": short(any_text, 150),
    "notes": any_text,
    "metric_name": some_text,
    "reading_note": any_text,
    "story_title": short(some_text, 250),
    "story_text": some_text,
    "attendee": short(some_text, 150),
    "review_notes": any_text,
    "decision": some_text,
    "action": some_text,
    "action_owner": short(some_text, 150),
}
texts = st.fixed_dictionaries(FIELDS)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    path: Path = tmp_path_factory.mktemp("texts") / "planner.db"
    db = make_engine(f"sqlite:///{path}")
    migrate(db)
    yield db
    db.dispose()


def build_plan(engine: Engine, text: dict[str, str]) -> str:
    """The plan with every typed field from `text`; returns its id."""
    actor = "Tester"
    lead = services.add_person(engine, name=text["lead"], actor=actor)
    owner = services.add_person(engine, name=text["owner"], actor=actor)
    plan = services.create_plan(
        engine,
        name=text["plan_name"],
        description=text["description"],
        actor=actor,
        start_date=START,
        lead_id=lead.id,
        review_cadence="weekly",
    )
    metric = Metric(
        id="guides",
        name=text["metric_name"],
        unit="guides",
        aggregation="sum",
        direction="higher",
        target=4.0,
        cadence="weekly",
        definition="How many guides were published in the week, from the wiki's history.",
        framework="value-immediate",
    )
    item = services.add_custom_item(
        engine,
        plan.id,
        title=text["title"],
        expected_version=1,
        actor=actor,
        metrics=[metric],
        duration_weeks=10,
        owner_id=owner.id,
        team=text["team"],
        notes=text["notes"],
        targets=[Target("guides", 4.0)],
    )
    services.update_items(
        engine,
        plan.id,
        [ItemChange(item.id, {"status": "in progress"})],
        expected_version=2,
        actor=actor,
    )
    record_readings(
        engine,
        plan.id,
        [(item.id, "guides", date(2027, 2, 10), 1.0, text["reading_note"])],
        actor=actor,
    )
    add_story(
        engine,
        plan.id,
        item.id,
        title=text["story_title"],
        text=text["story_text"],
        value_cycle="value-immediate",
        date=date(2027, 2, 11),
        actor=actor,
    )
    reviews.record_review(
        engine,
        plan.id,
        date=date(2027, 2, 12),
        attendees=[text["attendee"]],
        notes=text["review_notes"],
        decisions=[text["decision"]],
        new_actions=[
            reviews.NewAction(text["action"], None, date(2027, 3, 1), text["action_owner"])
        ],
        actor=actor,
    )
    return plan.id


def plain(text: dict[str, str]) -> dict[str, str]:
    """The twin's text: 'x' where the field has text, '' where it is blank."""
    return {k: "x" if v.strip() else "" for k, v in text.items()}


# --- what each format must keep -----------------------------------------------------------


def assert_no_formula(cell: str) -> None:
    if cell and cell[0] in FORMULA_PREFIXES:
        assert neutralise(cell) == cell, f"formula cell {cell!r}"  # a plain number


class Elements(HTMLParser):
    """Every element with its attribute names, and every piece of text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple[str, ...]]] = []
        self.data: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, tuple(name for name, _ in attrs)))

    def handle_endtag(self, tag: str) -> None:
        self.tags.append(("/" + tag, ()))

    def handle_data(self, data: str) -> None:
        self.data.append(data)

    def handle_comment(self, data: str) -> None:
        self.tags.append(("!--", ()))


def html_parts(data: bytes) -> Elements:
    parser = Elements()
    parser.feed(data.decode("utf-8"))
    parser.close()
    return parser


def ics_shape(data: bytes) -> list[tuple[str, tuple[str, ...]]]:
    calendar = Calendar.from_ical(data)
    return [(c.name, tuple(c.keys())) for c in calendar.walk()]


def unescaped_pipes(line: str) -> int:
    count, k = 0, 0
    while k < len(line):
        if line[k] == "\\":
            k += 2
            continue
        count += line[k] == "|"
        k += 1
    return count


@examples(25)
@given(texts)
@example({**{k: "=1+2" for k in FIELDS}, "description": "<script>alert(1)</script>"})
@example({**{k: "=" for k in FIELDS}, "title": "=\x0b="})  # XLSX refused control characters
@example({**{k: "=" for k in FIELDS}, "title": "\r\n\x01"})  # nothing left for the workbook
def test_any_text_survives_every_export_as_text(engine: Engine, text: dict[str, str]) -> None:
    plan_id = build_plan(engine, text)
    twin_id = build_plan(engine, plain(text))
    report, twin = gather_report(engine, plan_id, AS_OF), gather_report(engine, twin_id, AS_OF)
    title = report.items[0].title
    assert title == text["title"].strip()

    # Review CSV: every cell as text, none a formula; the title is there, neutralised.
    rows = list(csv.reader(io.StringIO(export_review_csv(engine, plan_id, as_of=AS_OF).decode())))
    twin_rows = list(
        csv.reader(io.StringIO(export_review_csv(engine, twin_id, as_of=AS_OF).decode()))
    )
    assert len(rows) == len(twin_rows) and [len(r) for r in rows] == [len(r) for r in twin_rows]
    for row in rows:
        for cell in row:
            assert_no_formula(cell)
    assert rows[1][rows[0].index("tactic")] == neutralise(title)

    # XLSX: no formula cell, no text cell a spreadsheet would run; the title on Items.
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(report)))
    for sheet in book.worksheets:
        for line in sheet.iter_rows():
            for cell in line:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert_no_formula(cell.value)
    items_sheet = [[c.value for c in r] for r in book["Items"].iter_rows()]
    # XML reads a carriage return back as a line feed (as Excel does): a line break either way.
    in_sheet = neutralise(ILLEGAL_CHARACTERS_RE.sub("", title)).replace("\r\n", "\n")
    in_sheet = in_sheet.replace("\r", "\n") or None  # nothing left: an empty cell
    assert any(in_sheet in row for row in items_sheet)

    # HTML: the twin's elements exactly; the texts are text.
    page, twin_page = html_parts(html_bytes(report)), html_parts(html_bytes(twin))
    assert page.tags == twin_page.tags
    shown = "".join(page.data)
    for key in ("plan_name", "title", "decision", "action"):
        assert text[key].strip() in shown, key

    # ICS: the twin's events and properties; the summary is the title on one line.
    data = ics_bytes(report)
    assert ics_shape(data) == ics_shape(ics_bytes(twin))
    events = {str(e["uid"]): e for e in Calendar.from_ical(data).walk("VEVENT")}
    start = events[f"{plan_id}.{report.items[0].id}.start@informal-learning-planner"]
    assert str(start["summary"]) == one_line(f"Start: {title}")

    # Markdown: the twin's lines and table cells; the title escaped on one line.
    lines = markdown_bytes(report).decode().split("\n")
    twin_lines = markdown_bytes(twin).decode().split("\n")
    assert len(lines) == len(twin_lines)
    for line, other in zip(lines, twin_lines, strict=True):
        assert unescaped_pipes(line) == unescaped_pipes(other), line
        assert line.startswith(("#", "|", "-")) == other.startswith(("#", "|", "-")), line
    assert any(md_text(title) in line for line in lines)


@pytest.fixture(scope="module")
def one_plan(engine: Engine) -> str:
    return build_plan(engine, {k: "Plain" for k in FIELDS})


@examples(30)
@given(st.dates(date(1900, 1, 1), date(2999, 12, 31)))
@example(date(2999, 12, 31))  # the workbook's zip could not hold dates after 2107
@example(date(1979, 12, 31))  # nor before 1980
def test_every_export_works_as_of_any_date_the_planner_takes(
    engine: Engine, one_plan: str, as_of: date
) -> None:
    report = gather_report(engine, one_plan, as_of)
    for export in (xlsx_bytes, html_bytes, ics_bytes, markdown_bytes):
        assert export(report)
    assert export_review_csv(engine, one_plan, as_of=as_of)
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(report)))
    assert book.properties.modified is not None
    assert book.properties.modified.date() == as_of
