"""Browser tests: a real `streamlit run` on a free loopback port, driven in Debian's Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    found = os.environ.get("PLANNER_CHROMIUM") or shutil.which("chromium")
    if not found:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is missing; under CI=true browser tests must run, not skip")
        pytest.skip("Chromium is not installed (scripts/test installs it when run as root)")
    return found


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    return {"executable_path": chromium_path(), "args": CHROMIUM_FLAGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args() -> dict[str, Any]:
    return {"viewport": {"width": 1400, "height": 1000}, "accept_downloads": True}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard on loopback with its own empty database; stopped after the session."""
    yield from run_dashboard(tmp_path_factory.mktemp("data"))


@pytest.fixture
def fresh_server(tmp_path: Path) -> Iterator[str]:
    """A dashboard that has served no request yet (for first-request behaviour)."""
    yield from run_dashboard(tmp_path)


# Each running dashboard's log, by its URL: a failing test's report shows the tail.
LOGS: dict[str, Path] = {}
# What the first, failed attempt of a test that passed on its retry showed (printed at the end).
FLAKY: list[str] = []
RETRIES_ON_CI = 1
_FIRST_FAILURE = pytest.StashKey[str]()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under CI=true a browser test gets one retry, as Playwright's own runner gives on CI.

    A failure is still a failure when the retry fails too; a pass on the retry is reported at
    the end of the run with what the first attempt saw, so a flaky journey is never hidden."""
    if os.environ.get("CI") != "true":
        return
    for item in items:
        if item.get_closest_marker("e2e") and not item.get_closest_marker("flaky"):
            item.add_marker(pytest.mark.flaky(reruns=RETRIES_ON_CI, reruns_delay=2))


def _diagnostics(item: pytest.Item) -> str:
    """The page's address and visible text, a screenshot, and the dashboard's log tail."""
    lines: list[str] = []
    funcargs: dict[str, Any] = getattr(item, "funcargs", {})
    page = funcargs.get("page")
    if page is not None:
        try:
            lines.append(f"page: {page.url}")
            ARTIFACTS.mkdir(exist_ok=True)
            shot = ARTIFACTS / f"failed-{item.name}.png".replace("/", "_")
            page.screenshot(path=str(shot))
            lines.append(f"screenshot: {shot}")
            text = page.locator("body").inner_text(timeout=5_000)
            lines.append("visible text (first 3,000 characters):")
            lines.append(text[:3000])
        except Exception as exc:  # diagnostics must never mask the failure
            lines.append(f"(could not read the page: {exc})")
    for name in ("fresh_server", "server"):
        url = funcargs.get(name)
        log = LOGS.get(str(url)) if url else None
        if log is not None and log.exists():
            lines.append(f"dashboard log ({name}), last 3,000 characters:")
            lines.append(log.read_text(errors="replace")[-3000:])
    return "\n".join(lines)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.when == "call" and report.failed and item.get_closest_marker("e2e"):
        text = _diagnostics(item)
        report.sections.append(("e2e diagnostics", text))
        item.stash[_FIRST_FAILURE] = (
            f"{item.nodeid}: {call.excinfo.exconly() if call.excinfo else ''}\n{text}"
        )
    elif report.when == "call" and report.passed and _FIRST_FAILURE in item.stash:
        FLAKY.append(item.stash[_FIRST_FAILURE])


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for text in FLAKY:
        terminalreporter.write_sep("=", "browser test passed only on its retry (flaky)")
        terminalreporter.write_line(text)


def run_dashboard(data: Path) -> Iterator[str]:
    chromium_path()
    port = _free_port()
    env = {
        **os.environ,
        "PLANNER_DATABASE_URL": f"sqlite:///{data / 'planner.db'}",
        "PLANNER_DATA_DIR": str(data),
    }
    env.pop("PLANNER_PLAYBOOKS", None)
    log = open(data / "streamlit.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", "app.py",
            "--server.headless", "true",
            "--server.port", str(port),
            "--server.address", "127.0.0.1",
            "--browser.gatherUsageStats", "false",
        ],
        cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    LOGS[url] = data / "streamlit.log"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.read() == b"ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                raise RuntimeError((data / "streamlit.log").read_text())
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        LOGS.pop(url, None)


@pytest.fixture
def shots() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
