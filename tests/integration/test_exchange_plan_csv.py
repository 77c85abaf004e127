"""Plan CSV imports on the real repository (SQLite and PostgreSQL): all or nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from planner import services
from planner.domain.planning import InvalidInputError
from planner.errors import ImportFormatError, NotFoundError
from planner.services.plan_import import import_file, import_plan_csv
from tests.integration.conftest import build_tactic
from tests.integration.test_exchange_bundle import (
    DANA,
    KIM,
    LEE,
    row_counts,
    seed_plan,
    table_contents,
)

TACTICS = {
    "kickoff": build_tactic("kickoff", duration_weeks=2),
    "peer-circles": build_tactic("peer-circles", prerequisites=["kickoff"]),
}
GOOD = (
    b"tactic,title,owner,team,start,duration_weeks,status,notes\r\n"
    b"kickoff,,Dana Whitfield,All,,,done,\r\n"
    b"peer-circles,Tier 2 circle,dana@example.org,Tier 2,2027-02-01,6,in progress,Weekly\r\n"
    b",Escalation guide,Lee Okafor,,,,,\r\n"
)


def people(engine: Engine) -> None:
    services.add_person(engine, name=DANA, actor=DANA, email="Dana@Example.org")
    services.add_person(engine, name=LEE, actor=DANA)


def test_a_csv_becomes_a_new_plan_named_after_the_file(engine: Engine) -> None:
    people(engine)
    done = import_plan_csv(
        engine, b"\xef\xbb\xbf" + GOOD, tactics=TACTICS, actor=KIM, source="q3 rollout.csv"
    )
    assert done.created and done.items == 3 and done.copy_of is None
    opened = services.open_plan(engine, done.plan.id)
    assert (opened.plan.name, opened.plan.version, opened.plan.status) == (
        "q3 rollout",
        1,
        "draft",
    )
    titles = [(i.title, i.tactic_id, i.status, i.position) for i in opened.items]
    assert titles == [
        ("Kickoff", "kickoff", "done", 0),
        ("Tier 2 circle", "peer-circles", "in progress", 1),
        ("Escalation guide", None, "planned", 2),
    ]
    assert opened.items[1].duration_weeks == 6 and opened.items[1].notes == "Weekly"
    log = list(reversed(services.activity_log(engine, done.plan.id)))
    assert [(e.action, e.entity, e.version, e.actor) for e in log] == [
        ("create", "plan", 1, KIM),
        ("create", "item", 1, KIM),
        ("create", "item", 1, KIM),
        ("create", "item", 1, KIM),
    ]
    assert log[0].summary == "Created the plan 'q3 rollout' from q3 rollout.csv"
    assert log[2].summary == "Added 'Tier 2 circle' (from q3 rollout.csv)"


def test_a_name_replaces_the_file_s(engine: Engine) -> None:
    people(engine)
    done = import_plan_csv(engine, GOOD, tactics=TACTICS, actor=KIM, name="Support Q3")
    assert services.get_plan(engine, done.plan.id).name == "Support Q3"


def test_with_a_plan_the_rows_are_added_after_its_items_in_one_save(engine: Engine) -> None:
    plan = seed_plan(engine)
    before = services.open_plan(engine, plan.id)

    done = import_plan_csv(engine, GOOD, tactics=TACTICS, actor=KIM, plan_id=plan.id)

    assert not done.created and done.items == 3 and done.plan.id == plan.id
    after = services.open_plan(engine, plan.id)
    assert after.plan.version == before.plan.version + 1
    assert after.items[: len(before.items)] == before.items
    added = after.items[len(before.items) :]
    assert [i.position for i in added] == [5, 6, 7]
    assert [i.title for i in added] == ["Kickoff", "Tier 2 circle", "Escalation guide"]
    new_entries = services.activity_log(engine, plan.id, None)[:3]
    assert {(e.action, e.version) for e in new_entries} == {("create", after.plan.version)}


def test_import_file_reads_a_csv_by_its_content_whatever_its_name(engine: Engine) -> None:
    people(engine)
    done = import_file(engine, GOOD, actor=KIM, tactics=TACTICS, source="plan.json")
    assert done.plan.name == "plan" and done.items == 3


BAD_ROWS = {
    "unknown owner": "tactic,owner\nkickoff,Zed\n",
    "unknown tactic": "tactic\nkickof\n",
    "bad date": "tactic,start\nkickoff,2027-13-01\n",
    "bad status": "tactic,status\nkickoff,finished\n",
    "one bad row among good ones": GOOD.decode() + "kickoff,,Zed,,,,,\r\n",
    "unknown column": "tactic,colour\nkickoff,red\n",
}


@pytest.mark.parametrize("name", list(BAD_ROWS))
@pytest.mark.parametrize("into_plan", [False, True], ids=["new plan", "existing plan"])
def test_a_bad_csv_writes_nothing(engine: Engine, name: str, into_plan: bool) -> None:
    plan = seed_plan(engine)
    before = table_contents(engine)
    counts = row_counts(engine)
    with pytest.raises(ImportFormatError, match="othing was imported"):
        import_plan_csv(
            engine,
            BAD_ROWS[name].encode(),
            tactics=TACTICS,
            actor=KIM,
            plan_id=plan.id if into_plan else None,
            source="bad.csv",
        )
    assert row_counts(engine) == counts
    assert table_contents(engine) == before


def test_the_error_names_the_row_and_column(engine: Engine) -> None:
    people(engine)
    with pytest.raises(ImportFormatError) as caught:
        import_plan_csv(
            engine,
            BAD_ROWS["one bad row among good ones"].encode(),
            tactics=TACTICS,
            actor=KIM,
            source="bad.csv",
        )
    assert str(caught.value) == (
        "bad.csv: row 5, column owner: no person named 'Zed'; add them first or fix the name. "
        "Nothing was imported."
    )


def test_an_unknown_or_archived_plan_is_refused_and_nothing_written(engine: Engine) -> None:
    plan = seed_plan(engine)
    services.set_plan_status(engine, plan.id, "archived", expected_version=plan.version, actor=DANA)
    before = table_contents(engine)
    with pytest.raises(NotFoundError, match="No plan with id 'pl_nope'"):
        import_plan_csv(engine, GOOD, tactics=TACTICS, actor=KIM, plan_id="pl_nope")
    with pytest.raises(InvalidInputError, match="is archived"):
        import_plan_csv(engine, GOOD, tactics=TACTICS, actor=KIM, plan_id=plan.id)
    assert table_contents(engine) == before
