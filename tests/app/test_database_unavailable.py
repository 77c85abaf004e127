"""The dashboard on a database it cannot reach: a message saying what is wrong and how to fix
it, and a Retry button that opens the database again once it is back; never a traceback."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.unit.test_database_unavailable import closed_port


def test_an_unreachable_database_shows_the_problem_and_a_retry_button(
    app: AppTest, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = closed_port()
    monkeypatch.setenv("PLANNER_DATABASE_URL", f"postgresql+psycopg://planner@127.0.0.1:{port}/x")
    app.run()
    assert not app.exception, app.exception
    assert len(app.error) == 1
    assert f"127.0.0.1:{port}" in app.error[0].value
    assert "PLANNER_DATABASE_URL" in " ".join(m.value for m in app.markdown)
    retry = app.button(key="database-retry")
    assert retry.label == "Retry"
    assert not app.selectbox  # no sidebar, no page: nothing that would fail in turn

    # Still down: Retry shows the same message again.
    retry.click().run()
    assert not app.exception, app.exception
    assert f"127.0.0.1:{port}" in app.error[0].value

    # Back (here: the URL corrected): Retry opens it and the page works.
    monkeypatch.setenv("PLANNER_DATABASE_URL", db_url)
    app.button(key="database-retry").click().run()
    assert not app.exception, app.exception
    assert not app.error
    assert any(s.label == "Active plan" for s in app.selectbox) or app.caption


def test_a_sqlite_file_in_a_folder_that_cannot_be_made(
    app: AppTest, monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    from pathlib import Path

    base = Path(str(tmp_path))
    (base / "a-file").write_text("x", encoding="utf-8")
    path = base / "a-file" / "planner.db"
    monkeypatch.setenv("PLANNER_DATABASE_URL", f"sqlite:///{path}")
    app.run()
    assert not app.exception, app.exception
    assert str(path) in app.error[0].value
    assert app.button(key="database-retry").label == "Retry"
