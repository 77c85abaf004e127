"""The import contracts in pyproject.toml name every module of the package they should.

import-linter checks the arrows (scripts/test runs `lint-imports`); this test keeps the lists
whole, so a new module cannot slip past a contract by not being named in it.
"""

from __future__ import annotations

import pkgutil
import tomllib
from pathlib import Path

import planner

ROOT = Path(__file__).resolve().parents[2]
ENTRY_POINTS = {"planner.ui", "planner.cli", "planner.__main__"}


def contracts() -> dict[str, dict[str, object]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {c["name"]: c for c in config["tool"]["importlinter"]["contracts"]}


def library_modules() -> set[str]:
    found = {f"planner.{m.name}" for m in pkgutil.iter_modules(planner.__path__)}
    return found - ENTRY_POINTS


def test_no_module_but_the_dashboard_helpers_may_import_streamlit() -> None:
    contract = contracts()[
        "Only planner.ui imports streamlit (pages and app.py are scripts, not the package)"
    ]
    assert set(contract["source_modules"]) == library_modules() | {"planner.cli"}  # type: ignore[arg-type]


def test_the_library_never_reaches_up_to_the_dashboard_or_the_command_line() -> None:
    contract = contracts()[
        "Nothing in the library reaches up to the dashboard helpers or the command line"
    ]
    assert set(contract["source_modules"]) == library_modules()  # type: ignore[arg-type]
