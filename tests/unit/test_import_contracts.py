"""The import contracts in pyproject.toml cover the whole package, and the pages keep to the door.

import-linter checks the arrows (scripts/test runs `lint-imports`); this test keeps the contracts
whole, so a new module cannot slip past one by not being named in it, and checks what
import-linter cannot see: `app.py` and `pages/` are scripts outside the package.
"""

from __future__ import annotations

import ast
import pkgutil
import tomllib
from pathlib import Path

import planner

ROOT = Path(__file__).resolve().parents[2]
PAGE_MAY_IMPORT = ("planner.services", "planner.ui", "planner.errors", "planner.domain")


def contracts() -> dict[str, dict[str, object]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {c["name"]: c for c in config["tool"]["importlinter"]["contracts"]}


def top_level() -> set[str]:
    return {m.name for m in pkgutil.iter_modules(planner.__path__)} - {"__main__"}


def contract(prefix: str) -> dict[str, object]:
    (found,) = [c for name, c in contracts().items() if name.startswith(prefix)]
    return found


def test_the_layers_contract_places_every_top_level_module() -> None:
    layers = contract("Layers:")
    assert layers["exhaustive"] is True
    placed = {m.strip() for layer in layers["layers"] for m in layer.split("|")}  # type: ignore[attr-defined]
    assert placed == top_level()


def test_no_module_but_the_dashboard_helpers_may_import_streamlit() -> None:
    sources = contract("Only planner.ui imports streamlit")["source_modules"]
    assert set(sources) == {f"planner.{m}" for m in top_level()} - {"planner.ui"}  # type: ignore[arg-type]


def test_sql_stays_in_the_store() -> None:
    sources = contract("SQL lives in planner.store alone")["source_modules"]
    assert set(sources) == {f"planner.{m}" for m in top_level()} - {"planner.store"}  # type: ignore[arg-type]


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = (
                [node.module]
                if node.module != "planner"
                else [f"planner.{a.name}" for a in node.names]
            )
            found += [(node.lineno, n) for n in names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
    return found


def test_pages_import_only_services_ui_errors_and_domain_types() -> None:
    scripts = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
    wrong = [
        f"{p.relative_to(ROOT)}:{line}: {name}"
        for p in scripts
        for line, name in _imports(p)
        if name.startswith("planner") and not name.startswith(PAGE_MAY_IMPORT)
    ]
    assert wrong == []
