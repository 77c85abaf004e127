"""Plan CSV rows into plan items, without a database: columns, defaults, every problem by row."""

from __future__ import annotations

from datetime import date

import pytest

from planner.domain.planning import Person
from planner.errors import ImportFormatError
from planner.exchange import plan_csv
from planner.exchange.plan_csv import PLAN_CSV_COLUMNS, parse_plan_csv
from tests.integration.conftest import build_tactic

TACTICS = {
    "peer-circles": build_tactic("peer-circles", duration_weeks=8),
    "job-aids": build_tactic("job-aids", duration_weeks=3),
}
PEOPLE = [
    Person(id="pe_dana", name="Dana Whitfield", email="dana@example.org"),
    Person(id="pe_lee", name="Lee Okafor"),
    Person(id="pe_sam1", name="Sam Lee", email="sam.lee@example.org"),
    Person(id="pe_sam2", name="Sam Lee", email="sam.lee2@example.org"),
]


def parse(text: str, **kw: object) -> list:  # type: ignore[type-arg]
    return parse_plan_csv(
        text.encode("utf-8"),
        tactics=TACTICS,
        people=PEOPLE,
        plan_id="pl_x",
        source="rollout.csv",
        **kw,  # type: ignore[arg-type]
    )


def refused(text: str | bytes) -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    with pytest.raises(ImportFormatError) as caught:
        parse_plan_csv(data, tactics=TACTICS, people=PEOPLE, plan_id="pl_x", source="rollout.csv")
    message = str(caught.value)
    assert message.startswith("rollout.csv: ")
    assert "othing was imported" in message
    return message


def test_the_documented_columns_are_the_ones_accepted() -> None:
    assert list(PLAN_CSV_COLUMNS) == [
        "tactic",
        "title",
        "owner",
        "team",
        "audience",
        "start",
        "duration_weeks",
        "status",
        "notes",
        "effort_hours_per_week",
    ]
    for column in PLAN_CSV_COLUMNS:
        assert f"    {column} " in (plan_csv.__doc__ or "")


def test_rows_become_items_with_tactic_defaults_and_what_the_row_says() -> None:
    items = parse(
        "tactic,title,owner,team,audience,start,duration_weeks,status,notes\r\n"
        "peer-circles,,Dana Whitfield,Tier 2,agents,2027-02-01,6,in progress,First circle\r\n"
        "peer-circles,Second circle,LEE OKAFOR,Tier 1,,,,,\r\n"
        ",Clean up job aids,dana@EXAMPLE.org,,,,,Done,\r\n",
        first_position=5,
    )
    first, second, custom = items
    assert [i.position for i in items] == [5, 6, 7]
    assert {i.plan_id for i in items} == {"pl_x"}
    assert len({i.id for i in items}) == 3
    assert first.tactic_id == "peer-circles" and first.title == "Peer circles"
    assert (first.owner_id, first.team, first.audience) == ("pe_dana", "Tier 2", "agents")
    assert (first.pinned_start, first.duration_weeks) == (date(2027, 2, 1), 6)
    assert (first.status, first.notes) == ("in progress", "First circle")
    assert [(t.metric_id, t.value) for t in first.targets] == [
        ("members", 12.0),
        ("sessions-held", 4.0),
    ]
    assert (second.title, second.owner_id, second.duration_weeks) == ("Second circle", "pe_lee", 8)
    assert (second.status, second.pinned_start) == ("planned", None)
    assert custom.is_custom and custom.tactic_id is None
    assert (custom.title, custom.owner_id, custom.status) == (
        "Clean up job aids",
        "pe_dana",
        "done",
    )
    assert custom.duration_weeks == 4 and custom.metrics == [] and custom.targets == []


def test_only_a_tactic_or_title_column_is_needed_and_headers_are_forgiving() -> None:
    [item] = parse("Tactic\njob-aids\n")
    assert item.tactic_id == "job-aids" and item.duration_weeks == 3
    [item] = parse(" TITLE , Duration Weeks ,OWNER\nWrite the guide,2,sam.lee2@example.org\n")
    assert (item.title, item.duration_weeks, item.owner_id) == ("Write the guide", 2, "pe_sam2")


def test_a_bom_and_blank_rows_and_trailing_empty_columns_are_fine() -> None:
    data = "\ufefftactic,owner,,\r\n\r\npeer-circles,Lee Okafor,,\r\n,,,\r\njob-aids,,,\r\n"
    items = parse_plan_csv(data.encode("utf-8"), tactics=TACTICS, people=PEOPLE, plan_id="pl_x")
    assert [i.tactic_id for i in items] == ["peer-circles", "job-aids"]
    assert [i.position for i in items] == [0, 1]


def test_every_row_problem_is_reported_by_row_and_column() -> None:
    message = refused(
        "tactic,title,owner,start,duration_weeks,status\n"
        "peer-circles,,Dana Whitfield,2027-02-01,6,planned\n"  # row 2: fine
        "peer-cirles,,,,,\n"  # row 3
        "job-aids,,Zed,,,\n"  # row 4
        "job-aids,,,01/02/2027,,\n"  # row 5
        "job-aids,,,2027-02-30,,\n"  # row 6
        ",,,,,\n"  # row 7: blank, skipped
        "job-aids,,,,0,\n"  # row 8
        "job-aids,,,,2.5,\n"  # row 9
        "job-aids,,,,,finished\n"  # row 10
        ",,Lee Okafor,,,\n"  # row 11: custom without a title
        "job-aids,,Sam Lee,,,\n"  # row 12: two people called Sam Lee
        "job-aids,,nobody@example.org,,,\n"  # row 13
    )
    assert message.startswith("rollout.csv: 10 problems; nothing was imported.")
    for expected in [
        "row 3, column tactic: no tactic 'peer-cirles' in the playbooks",
        "row 4, column owner: no person named 'Zed'; add them first or fix the name",
        "row 5, column start: '01/02/2027' is not a date; write it as YYYY-MM-DD",
        "row 6, column start: '2027-02-30' is not a date",
        "row 8, column duration_weeks: '0' is not a whole number of weeks from 1 to 520",
        "row 9, column duration_weeks: '2.5' is not a whole number",
        "row 10, column status: 'finished' is not an item status; use one of planned, "
        "in progress, done, blocked, dropped",
        "row 11, column title: a row without a tactic is a custom item and needs a title",
        "row 12, column owner: 2 people are named 'Sam Lee'; give the owner's email instead",
        "row 13, column owner: no person with the email 'nobody@example.org'",
    ]:
        assert expected in message
    assert "row 2" not in message and "row 7" not in message


def test_several_problems_in_one_row_are_all_reported() -> None:
    message = refused("tactic,owner,start\nnope,Zed,tomorrow\n")
    assert "row 2, column tactic" in message
    assert "row 2, column owner" in message
    assert "row 2, column start" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "row 1: no header"),
        ("owner,team\nDana Whitfield,x\n", "row 1: the header needs a tactic or a title column"),
        ("tactic,ownr\npeer-circles,x\n", "row 1, column 2: 'ownr' is not a plan CSV column"),
        ("tactic,tactic\npeer-circles,job-aids\n", "row 1, column 2: 'tactic' appears twice"),
        ("tactic\n", "no items: the file has a header but no rows below it"),
        ("tactic,owner\npeer-circles,Lee Okafor,extra\n", "row 2: 3 cells but the header"),
        ("title,team\nx," + "t" * 201 + "\n", "row 2, column team: longer than 200 characters"),
    ],
)
def test_files_that_cannot_be_read_as_a_plan_csv(text: str, expected: str) -> None:
    assert expected in refused(text)


def test_text_that_is_not_utf8_asks_for_csv_utf8() -> None:
    assert "save the file as CSV UTF-8" in refused("title\nCaf\xe9\n".encode("latin-1"))


def test_effort_hours_per_week_is_an_optional_column() -> None:
    tactic_item, custom, plain = parse(
        "tactic,title,effort_hours_per_week\npeer-circles,,1.5\n,Run the forum,3\njob-aids,,\n"
    )
    assert tactic_item.effort_hours_per_week == 1.5 and tactic_item.effort == 1.5
    assert custom.effort_hours_per_week == 3.0 and custom.effort == 3.0
    assert plain.effort_hours_per_week is None
    assert plain.effort == TACTICS["job-aids"].effort_hours_per_week


@pytest.mark.parametrize("value", ["lots", "-1", "41", "nan"])
def test_an_effort_that_is_not_hours_is_reported_by_row_and_column(value: str) -> None:
    message = refused(f"tactic,effort_hours_per_week\npeer-circles,{value}\n")
    assert f"row 2, column effort_hours_per_week: '{value}' is not a number of hours" in message
