"""Eight writers saving the same item at once, on SQLite and on PostgreSQL: every save that
reports success is in the plan and its log; every stale one is refused."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from bench.bench_concurrent_saves import run_writers
from planner import services
from planner.errors import ConflictError
from planner.planning import ItemChange


def test_eight_writers_lose_no_save(engine: Engine) -> None:
    report = run_writers(engine.url.render_as_string(hide_password=False), seconds=2.5)
    assert not report.problems, report.problems
    assert report.lost == 0, str(report)
    assert report.successes > 0 and report.conflicts > 0, str(report)
    assert report.attempts == report.successes + report.conflicts


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
