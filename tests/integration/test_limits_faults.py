"""Faults that used to end in a raw error: a bundle imported twice at the same moment, a line
break in a plan's name in the calendar, NUL characters and far dates typed on a page."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError

from planner import services
from planner.domain.planning import InvalidInputError
from planner.exchange import bundle as bundle_module
from planner.exchange import export_bundle, import_bundle
from planner.exchange.ical import export_ics
from planner.exchange.playbooks import load_default_library
from planner.services.sample import create_sample_plan
from planner.store import PLANS, make_engine, migrate


def test_two_imports_of_one_bundle_at_once_end_in_one_import_and_one_copy(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The bundle comes from another database, so its plan is not here yet.
    elsewhere = make_engine(f"sqlite:///{tmp_path / 'elsewhere.db'}")
    migrate(elsewhere)
    plan = create_sample_plan(elsewhere, load_default_library(), actor="Ana")
    data = export_bundle(elsewhere, plan.id)
    elsewhere.dispose()
    raced: list[Any] = []
    if engine.dialect.name == "sqlite":
        # SQLite serialises writers (BEGIN IMMEDIATE), so the race cannot happen inside one
        # process: the other import commits, then ours meets the unique key, as it would.
        real = bundle_module._import_parsed

        def first_attempt_loses(*args: Any, **kwargs: Any) -> Any:
            if not raced:
                raced.append(None)  # the other import's own call goes straight through
                raced[0] = import_bundle(engine, data, actor="Bo", source="other.json")
                raise IntegrityError("INSERT INTO plans", {}, Exception("UNIQUE constraint"))
            return real(*args, **kwargs)

        monkeypatch.setattr(bundle_module, "_import_parsed", first_attempt_loses)
    else:
        # Two threads, two connections: both find the ids free (the barrier holds each until
        # the other has looked too), then both write; the unique keys let one through.
        barrier = threading.Barrier(2, timeout=20)
        real_match = bundle_module._match_people

        def both_have_looked(*args: Any, **kwargs: Any) -> Any:
            raced.append(threading.current_thread().name)
            if len(raced) <= 2:  # the first look of each; a retry goes straight through
                with contextlib.suppress(threading.BrokenBarrierError):
                    barrier.wait()
            return real_match(*args, **kwargs)

        monkeypatch.setattr(bundle_module, "_match_people", both_have_looked)
        results: list[Any] = []

        def run(who: str) -> None:
            results.append(import_bundle(engine, data, actor=who, source=f"{who}.json"))

        threads = [threading.Thread(target=run, args=(who,)) for who in ("Ana", "Bo")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert len(results) == 2, "an import raised"
        copies = [r for r in results if r.copy_of is not None]
        assert len(copies) == 1 and copies[0].plan.name.endswith("(copy)")
        with engine.begin() as connection:
            assert connection.execute(select(func.count()).select_from(PLANS)).scalar_one() == 2
        return
    ours = import_bundle(engine, data, actor="Ana", source="ours.json")
    assert raced[0].copy_of is None
    assert ours.copy_of == plan.id and ours.plan.name.endswith("(copy)")
    with engine.begin() as connection:
        assert connection.execute(select(func.count()).select_from(PLANS)).scalar_one() == 2


def test_a_line_break_in_a_name_never_makes_an_extra_calendar_line_or_event(
    engine: Engine,
) -> None:
    plan = create_sample_plan(engine, load_default_library(), actor="Ana")
    before = export_ics(engine, plan.id, as_of=dt.date(2027, 1, 4))
    hostile = "Rollout\r\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:injected"
    services.rename_plan(engine, plan.id, hostile, expected_version=plan.version, actor="Ana")
    after = export_ics(engine, plan.id, as_of=dt.date(2027, 1, 4))
    lines = after.split(b"\r\n")
    assert lines.count(b"BEGIN:VEVENT") == before.split(b"\r\n").count(b"BEGIN:VEVENT")
    assert not any(line.startswith(b"SUMMARY:injected") for line in lines)
    calendar = Calendar.from_ical(after)
    assert str(calendar["x-wr-calname"]) == "Rollout END:VEVENT BEGIN:VEVENT SUMMARY:injected"


def test_nul_characters_and_far_dates_typed_on_a_page_are_refused(engine: Engine) -> None:
    with pytest.raises(InvalidInputError, match="NUL character"):
        services.create_plan(engine, name="Roll\x00out", actor="Ana")
    with pytest.raises(InvalidInputError, match="outside the years 1900-2999"):
        services.create_plan(engine, name="Rollout", actor="Ana", start_date=dt.date(9999, 1, 1))
    with engine.begin() as connection:
        assert connection.execute(select(func.count()).select_from(PLANS)).scalar_one() == 0


def test_a_bundle_race_that_never_settles_is_a_conflict_message(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import IntegrityError

    from planner.errors import ConflictError

    plan = create_sample_plan(engine, load_default_library(), actor="Ana")
    data = export_bundle(engine, plan.id)

    def always(*_args: Any, **_kwargs: Any) -> Any:
        raise IntegrityError("INSERT", {}, Exception("duplicate key"))

    monkeypatch.setattr(bundle_module, "_import_parsed", always)
    with pytest.raises(ConflictError, match="nothing was imported"):
        import_bundle(engine, data, actor="Ana", source="b.json")


def test_an_import_into_a_full_database_is_a_message_and_writes_nothing(tmp_path: Path) -> None:
    from sqlalchemy import event

    from planner.domain.output_files import DiskFullError
    from planner.exchange import import_file

    url = f"sqlite:///{tmp_path / 'full.db'}"
    engine = make_engine(url)
    migrate(engine)
    library = load_default_library()
    create_sample_plan(engine, library, actor="Ana")
    with engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar_one()
    engine.dispose()

    @event.listens_for(engine, "connect")
    def _no_room(dbapi_connection: Any, _record: Any) -> None:
        # SQLite's own "database or disk is full" (SQLITE_FULL), as on a full disk.
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 2}")

    rows = "".join(f"Item {n},{'n' * 5000}\n" for n in range(400))
    data = ("title,notes\n" + rows).encode()
    with engine.begin() as connection:
        before = connection.execute(select(func.count()).select_from(PLANS)).scalar_one()
    with pytest.raises(DiskFullError, match="the disk is full"):
        import_file(engine, data, actor="Ana", tactics=library.tactics, source="big.csv")
    with engine.begin() as connection:
        assert connection.execute(select(func.count()).select_from(PLANS)).scalar_one() == before
    engine.dispose()
