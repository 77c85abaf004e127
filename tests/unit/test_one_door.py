"""One door for writes: activity entries are built in `services/writes.py` alone, and the
archived-plan rule lives in `planner.domain.planning.ensure_writable` alone.

Grep-like checks over the source's syntax trees (comments and docstrings do not count), each
also run on a snippet of the kind it forbids, so that it is seen to catch one.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import planner

PACKAGE = Path(planner.__file__).resolve().parent

ENTRY_BUILDERS = {
    ("services/writes.py", "log"),  # Write.log: the one place an entry is built
    ("store/activity.py", "log_one"),  # the store's own: an entry from the fields it is given
    ("services/bundles.py", "_import_parsed"),  # a bundle's own log restored as it was
}
"""(module, function) pairs allowed to construct NewActivity."""

WRITE_PATH = "services/writes.py"
"""The one module that appends entries to the store's log (`Write.flush`)."""

RULE_HOME = "domain/planning.py"


def _modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path.relative_to(PACKAGE).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def _functions(tree: ast.AST) -> Iterator[tuple[str, ast.AST]]:
    """(name of the innermost enclosing function or "<module>", node) for every node."""

    def walk(node: ast.AST, where: str) -> Iterator[tuple[str, ast.AST]]:
        for child in ast.iter_child_nodes(node):
            name = where
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name = child.name
            yield name, child
            yield from walk(child, name)

    yield from walk(tree, "<module>")


def _called_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def entries_built(module: str, tree: ast.AST) -> list[str]:
    """Where `tree` constructs NewActivity, or logs past a `Write`, outside the allowed places."""
    found = []
    for function, node in _functions(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _called_name(node)
        where = f"{module}:{node.lineno} in {function}"
        if name == "NewActivity" and (module, function) not in ENTRY_BUILDERS:
            found.append(f"{where}: NewActivity(...)")
        # The store's append methods, called on a repository instead of through a Write.
        if (
            name in ("log", "log_one")
            and isinstance(node.func, ast.Attribute)
            and not module.startswith("store/")
            and module != WRITE_PATH
        ):
            receiver = node.func.value
            text = ast.unparse(receiver)
            if name == "log_one" or text == "repo" or text.endswith(".repo"):
                found.append(f"{where}: {text}.{name}(...)")
    return found


def _mentions_archived(test: ast.AST) -> bool:
    """Whether a comparison in `test` involves the constant "archived"."""
    return any(
        isinstance(n, ast.Constant) and n.value == "archived"
        for c in ast.walk(test)
        if isinstance(c, ast.Compare)
        for n in ast.walk(c)
    )


def _raises(branch: ast.If) -> bool:
    return any(isinstance(n, ast.Raise) for b in branch.body for n in ast.walk(b))


def archived_refusals(module: str, tree: ast.AST) -> list[str]:
    """Where `tree` tests a status against "archived" to refuse something (an `if` whose
    branch raises), or words the archived refusal itself, outside the rule's home."""
    if module == RULE_HOME:
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _mentions_archived(node.test) and _raises(node):
            found.append(f"{module}:{node.lineno}: if ... 'archived': raise")
        if isinstance(node, ast.Raise) and node.exc is not None:
            words = " ".join(
                n.value
                for n in ast.walk(node.exc)
                if isinstance(n, ast.Constant) and isinstance(n.value, str)
            )
            if "is archived" in words:
                found.append(f"{module}:{node.lineno}: raise '... is archived ...'")
    return found


def test_activity_entries_are_built_by_the_write_path_alone() -> None:
    found = [hit for module, tree in _modules() for hit in entries_built(module, tree)]
    assert found == [], "build activity entries with Write.log (services/writes.py):\n" + (
        "\n".join(found)
    )


def test_the_archived_rule_is_ensure_writable_alone() -> None:
    found = [hit for module, tree in _modules() for hit in archived_refusals(module, tree)]
    assert found == [], "refuse writes to archived plans with planning.ensure_writable:\n" + (
        "\n".join(found)
    )


def test_every_allowed_builder_exists() -> None:
    """An allowance for a function that no longer builds entries is a hole: remove it."""
    trees = dict(_modules())
    for module, function in ENTRY_BUILDERS:
        calls = [
            node
            for name, node in _functions(trees[module])
            if name == function
            and isinstance(node, ast.Call)
            and _called_name(node) == "NewActivity"
        ]
        assert calls, f"{module} {function} builds no NewActivity: drop it from ENTRY_BUILDERS"


def test_the_checks_catch_what_they_forbid() -> None:
    hand_built = ast.parse(
        "def add(repo):\n"
        "    repo.log([NewActivity(plan_id='p', action='create')])\n"
        "    repo.log_one(plan_id='p')\n"
        "    self.repo.log(entries)\n"
    )
    assert len(entries_built("services/x.py", hand_built)) == 4
    assert entries_built("services/writes.py", ast.parse("def flush(self):\n    x = 1\n")) == []

    copied = ast.parse(
        "def writable(repo, plan_id):\n"
        "    plan = repo.plan(plan_id)\n"
        "    if plan.status == 'archived':\n"
        "        raise InvalidInputError(f\"Plan '{plan.name}' is archived. Reopen it.\")\n"
        "    if plan.status in ('archived', 'closed'):\n"
        "        raise ValueError('no')\n"
        "    if plan.status == 'archived':\n"
        "        return 'Archived the plan'\n"
    )
    found = archived_refusals("services/x.py", copied)
    assert sorted(hit.split(": ", 1)[0] for hit in found) == [
        "services/x.py:3",
        "services/x.py:4",
        "services/x.py:5",
    ]
    assert archived_refusals(RULE_HOME, copied) == []
