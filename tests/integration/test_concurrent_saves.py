"""Eight writers saving the same item at once, on SQLite and on PostgreSQL: every save that
reports success is in the plan and its log; every stale one is refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bench.bench_concurrent_saves import run_writers
from planner import services, store
from planner.domain.planning import ItemChange
from planner.errors import BusyError, ConflictError
from planner.store import engine as store_engine


def test_eight_writers_lose_no_save(engine: Engine) -> None:
    report = run_writers(engine.url.render_as_string(hide_password=False), seconds=2.5)
    assert not report.problems, report.problems
    assert report.lost == 0, str(report)
    assert report.successes > 0 and report.conflicts > 0, str(report)
    assert report.attempts == report.successes + report.conflicts + report.busy


@pytest.mark.parametrize("same_value", [True, False])
def test_a_stale_save_is_refused_even_when_it_changes_nothing(
    engine: Engine, same_value: bool
) -> None:
    plan = services.create_plan(engine, name="P", actor="setup")
    item = services.add_custom_item(
        engine, plan.id, title="Item", expected_version=1, actor="setup"
    )
    services.update_items(
        engine, plan.id, [ItemChange(item.id, {"notes": "theirs"})], expected_version=2, actor="A"
    )
    mine = "theirs" if same_value else "mine"
    with pytest.raises(ConflictError):
        services.update_items(
            engine, plan.id, [ItemChange(item.id, {"notes": mine})], expected_version=2, actor="B"
        )
    with pytest.raises(ConflictError):
        services.update_plan(engine, plan.id, name="P", expected_version=2, actor="B")
    assert services.get_plan(engine, plan.id).version == 3


def test_a_save_kept_waiting_past_the_busy_timeout_is_refused_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_engine, "BUSY_TIMEOUT_MS", 200)
    url = f"sqlite:///{tmp_path / 'planner.db'}"
    engine = store.make_engine(url)
    store.migrate(engine)
    plan = services.create_plan(engine, name="P", actor="setup")
    holder = sqlite3.connect(tmp_path / "planner.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # someone else's long write
    try:
        with pytest.raises(BusyError, match="busy"):
            services.update_plan(engine, plan.id, name="Q", expected_version=1, actor="B")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert (
        services.update_plan(engine, plan.id, name="Q", expected_version=1, actor="B").version == 2
    )
    engine.dispose()
