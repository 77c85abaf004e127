"""AppTest helpers: run the real app from its router and switch to a page."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("PLANNER_PLAYBOOKS", raising=False)
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)


def open_page(at: AppTest, page: str) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def card_titles(at: AppTest) -> list[str]:
    return [m.value[5:] for m in at.markdown if str(m.value).startswith("#### ")]
