"""The HTML report in real Chromium with the network off: it renders, fetches nothing, and a
script hidden in a note shows as text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, Request, expect

from planner import services
from planner.domain.planning import ItemChange
from planner.exchange.playbooks import load_default_library
from planner.services.reports import export_html
from planner.services.sample import create_sample_plan
from planner.store import make_engine, migrate

pytestmark = pytest.mark.e2e
TODAY = date(2026, 11, 28)
INJECTION = '<script>window.injected = true</script><img src=x onerror="window.injected=true">'


def test_report_renders_offline_and_escapes_notes(page: Page, tmp_path: Path, shots: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'r.db'}")
    migrate(engine)
    plan = create_sample_plan(engine, load_default_library(), actor="Tester", today=TODAY)
    first = services.get_items(engine, plan.id)[0]
    services.update_items(
        engine,
        plan.id,
        [ItemChange(first.id, {"notes": INJECTION})],
        expected_version=plan.version,
        actor="Tester",
    )
    report = tmp_path / "report.html"
    report.write_bytes(export_html(engine, plan.id, as_of=TODAY))
    engine.dispose()

    requests: list[str] = []

    def refuse(request: Request) -> None:
        requests.append(request.url)

    page.context.set_offline(True)
    page.on("request", refuse)
    page.goto(report.as_uri())
    expect(page.get_by_text("Support Academy: informal learning rollout").first).to_be_visible()
    expect(
        page.get_by_text("<script>window.injected = true</script>", exact=False).first
    ).to_be_visible()
    assert page.evaluate("window.injected === undefined")
    assert [u for u in requests if not u.startswith("file:")] == []
    for status in ("on track", "off track"):
        expect(page.get_by_text(status, exact=True).first).to_be_visible()
    page.set_viewport_size({"width": 1200, "height": 2400})
    page.screenshot(path=str(shots / "html-report.png"))
