"""AppTest helpers: run the real app from its router and switch to a page."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from planner.domain.planning import Plan
from planner.exchange.playbooks import load_default_library
from planner.services.sample import create_sample_plan
from planner.store import make_engine, migrate

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 28)


@pytest.fixture(autouse=True)
def router_always_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every AppTest run through app.py, as a live server does after its first request.

    AppTest resets Streamlit's pages/-folder convention before each run, so without this each
    run after the first would execute the page script alone (see planner.ui.shell)."""
    original = PagesManager.__init__

    def init(self: PagesManager, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each test gets its own SQLite database, which the dashboard opens through the env."""
    url = f"sqlite:///{tmp_path / 'planner.db'}"
    monkeypatch.setenv("PLANNER_DATABASE_URL", url)
    return url


@pytest.fixture
def engine(db_url: str) -> Engine:
    eng = make_engine(db_url)
    migrate(eng)
    return eng


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch, db_url: str) -> AppTest:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("PLANNER_PLAYBOOKS", raising=False)
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)


@pytest.fixture
def sample(engine: Engine) -> Plan:
    return create_sample_plan(engine, load_default_library(), actor="Tester", today=TODAY)


def open_page(at: AppTest, page: str) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def card_titles(at: AppTest) -> list[str]:
    return [m.value[5:] for m in at.markdown if str(m.value).startswith("#### ")]
