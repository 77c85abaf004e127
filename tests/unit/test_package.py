"""`import planner` is light, documents the public API, and keeps its old names importable."""

from __future__ import annotations

import subprocess
import sys

import planner


def test_importing_planner_loads_no_database_no_dashboard_and_no_formats() -> None:
    code = (
        "import sys, planner\n"
        "heavy = ('sqlalchemy', 'streamlit', 'yaml', 'pandas', 'planner.store', "
        "'planner.exchange', 'planner.services')\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in heavy or m in heavy)\n"
        "print(loaded); sys.exit(1 if loaded else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_errors_and_the_playbook_names_import_from_the_package() -> None:
    from planner import ConflictError, Library, PlannerError, Tactic, load_default_library
    from planner.domain.playbook import Tactic as DomainTactic
    from planner.errors import ConflictError as Conflict

    assert ConflictError is Conflict and issubclass(ConflictError, PlannerError)
    assert Tactic is DomainTactic
    assert isinstance(load_default_library(), Library)


def test_the_docstring_names_the_door_and_the_errors() -> None:
    doc = planner.__doc__ or ""
    assert "planner.services" in doc and "planner.errors" in doc
    for name in ("PlannerError", "ConflictError", "PermissionDeniedError", "NotFoundError"):
        assert name in doc


def test_the_services_door_lists_every_public_name_it_exports() -> None:
    from planner import services

    doc = services.__doc__ or ""
    for module in ("plans", "items", "people", "workload", "readings", "stories", "privacy"):
        assert f"services/{module}.py" in doc
    for name in services.__all__:
        assert getattr(services, name) is not None


def test_the_doors_three_lists_agree_name_for_name() -> None:
    """`services/__init__.py` names each use case three times: the TYPE_CHECKING import (for
    mypy), `_WHERE` (the lazy import) and `__all__`. A name added to one and not the others
    would type-check and fail at run time, or import and be missing from the door's list."""
    import ast
    import importlib
    from pathlib import Path

    from planner import services

    tree = ast.parse(Path(services.__file__).read_text(encoding="utf-8"))
    typed: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            for stmt in node.body:
                assert isinstance(stmt, ast.ImportFrom) and stmt.module
                for alias in stmt.names:
                    typed[alias.asname or alias.name] = stmt.module
    where = services._WHERE
    assert typed == where
    assert sorted(services.__all__) == sorted(where)
    assert len(set(services.__all__)) == len(services.__all__)
    for name, module in where.items():
        assert hasattr(importlib.import_module(module), name), f"{name} is not in {module}"
