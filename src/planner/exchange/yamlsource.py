"""Safe YAML reading that keeps positions: size limit, alias-bomb guard, duplicate keys."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from planner.domain.library import Problem
from planner.domain.limits import FILE_LIMITS, MAX_YAML_DEPTH

try:  # PyYAML's C parser when the wheel ships it, which it does on every common platform.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - pure-Python fallback
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = FILE_LIMITS["playbook"]
"""A real playbook is tens of KB; anything over 2 MB is refused before it is read."""

MAX_EXPANDED_NODES = 250_000
"""Nodes visited with aliases expanded; a 2 MB file of plain YAML has far fewer."""

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_MERGE = "tag:yaml.org,2002:merge"
_TYPE_NAMES = {
    "tag:yaml.org,2002:str": "text",
    "tag:yaml.org,2002:int": "whole number",
    "tag:yaml.org,2002:float": "number",
    "tag:yaml.org,2002:bool": "true/false",
    "tag:yaml.org,2002:null": "empty value",
    "tag:yaml.org,2002:timestamp": "date",
}


class RefusedFile(Exception):
    """The whole file is refused (too big, alias bomb, not YAML); carries one Problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def describe_node(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    kind = _TYPE_NAMES.get(node.tag, "value")
    return f"{short(node.value)} ({kind})"


def short(value: object, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class Document:
    """A parsed YAML document: plain Python data plus the node tree to find positions in."""

    def __init__(self, path: str, root: Node | None, data: Any, problems: list[Problem]) -> None:
        self.path = path
        self.root = root
        self.data = data
        self.problems = problems

    def node_at(self, loc: Sequence[str | int]) -> tuple[Node | None, Node | None]:
        """The deepest node on `loc` (a pydantic-style path) and the key node naming it, if any."""
        node, key_node = self.root, None
        for part in loc:
            if isinstance(node, MappingNode) and isinstance(part, str):
                found = None
                for k, v in _flat_pairs(node):
                    if k.value == part:
                        found = (k, v)
                if found is None:
                    return node, key_node
                key_node, node = found
            elif isinstance(node, SequenceNode) and isinstance(part, int):
                if not 0 <= part < len(node.value):
                    return node, key_node
                node, key_node = node.value[part], None
            else:
                return node, key_node
        return node, key_node

    def exact_node(self, loc: Sequence[str | int]) -> Node | None:
        """The node at exactly `loc`, or None when the path does not reach that far."""
        node: Node | None = self.root
        for part in loc:
            if isinstance(node, MappingNode) and isinstance(part, str):
                node = next((v for k, v in reversed(_flat_pairs(node)) if k.value == part), None)
            elif isinstance(node, SequenceNode) and isinstance(part, int):
                node = node.value[part] if 0 <= part < len(node.value) else None
            else:
                return None
        return node

    def problem_at(
        self, loc: Sequence[str | int], message: str, *, at_key: bool = False, field: str = ""
    ) -> Problem:
        node, key_node = self.node_at(loc)
        target = key_node if (at_key and key_node is not None) else node
        if target is None:
            return Problem(self.path, message, field=field or dotted(loc))
        mark = target.start_mark
        return Problem(self.path, message, mark.line + 1, mark.column + 1, field or dotted(loc))


def dotted(loc: Sequence[str | int]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _flat_pairs(node: MappingNode) -> list[tuple[Node, Node]]:
    """Key/value node pairs with `<<` merge keys expanded (explicit keys listed last, so win)."""
    merged: list[tuple[Node, Node]] = []
    own: list[tuple[Node, Node]] = []
    for k, v in node.value:
        if k.tag == _MERGE:
            sources = v.value if isinstance(v, SequenceNode) else [v]
            for src in sources:
                if isinstance(src, MappingNode):
                    merged.extend(_flat_pairs(src))
        else:
            own.append((k, v))
    return merged + own if merged else own


class _Builder:
    """Turns composed nodes into plain data, counting nodes with aliases expanded."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.visited = 0
        self.problems: list[Problem] = []
        self.where: list[str | int] = []  # the path being built, for duplicate-key messages
        self._constructor = _Loader("")  # only to construct non-text scalars the YAML way

    def build(self, node: Node) -> Any:
        self.visited += 1
        if self.visited > MAX_EXPANDED_NODES:
            self._refuse(
                node,
                f"refused: expands to more than {MAX_EXPANDED_NODES:,} values through "
                "YAML aliases (an alias bomb?); write the content out or use fewer aliases",
            )
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        if len(self.where) >= MAX_YAML_DEPTH:
            self._refuse(
                node,
                f"refused: lists and mappings nested deeper than {MAX_YAML_DEPTH} levels; "
                "a playbook needs about 6",
            )
        if isinstance(node, SequenceNode):
            out = []
            for i, child in enumerate(node.value):
                self.where.append(i)
                out.append(self.build(child))
                self.where.pop()
            return out
        if isinstance(node, MappingNode):
            return self._mapping(node)
        return None  # pragma: no cover - the composer only makes the three kinds above

    def _refuse(self, node: Node, message: str) -> NoReturn:
        mark = node.start_mark
        raise RefusedFile(Problem(self.path, message, mark.line + 1, mark.column + 1))

    def _scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag == _INT and node.value.isdigit():  # the common case, without the constructor
            return int(node.value)
        try:
            return self._constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError, TypeError):
            # e.g. `title: 2026-02-30`, a date that does not exist: YAML's timestamp
            # constructor raises ValueError. Kept as the text written; the schema then
            # says whether text fits there.
            return node.value

    def _mapping(self, node: MappingNode) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        first_seen: dict[Any, Node] = {}
        explicit = node.value
        merged = any(k.tag == _MERGE for k, _ in explicit)
        pairs = _flat_pairs(node) if merged else explicit
        # Keys merged in with `<<` may be overridden; only two explicit keys are a clash.
        explicit_keys = {id(k) for k, _ in explicit} if merged else None
        for key_node, value_node in pairs:
            if isinstance(key_node, ScalarNode) and key_node.tag == _STR:
                self.visited += 1
                key = key_node.value
            else:
                key = self.build(key_node)
                if isinstance(key, list | dict):
                    key = str(key)
            if key in first_seen and (explicit_keys is None or id(key_node) in explicit_keys):
                earlier = first_seen[key]
                if explicit_keys is None or id(earlier) in explicit_keys:
                    self._duplicate(key, key_node, earlier)
            first_seen[key] = key_node
            self.where.append(str(key))
            result[key] = self.build(value_node)
            self.where.pop()
        return result

    def _duplicate(self, key: Any, key_node: Node, earlier: Node) -> None:
        m = key_node.start_mark
        self.problems.append(
            Problem(
                self.path,
                f"duplicate key {short(key)}; it is already set on line "
                f"{earlier.start_mark.line + 1} (only one may stay)",
                m.line + 1,
                m.column + 1,
                dotted([*self.where, str(key)]),
            )
        )


def read_yaml(path: Path, display: str | None = None) -> Document:
    """Read one YAML file safely; raises RefusedFile when the whole file must be refused."""
    name = display or str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise RefusedFile(Problem(name, f"cannot be read: {exc.strerror}")) from None
    if size > MAX_FILE_BYTES:
        raise RefusedFile(
            Problem(
                name,
                f"refused: the file is {size / 1024 / 1024:.1f} MB, over the "
                f"{MAX_FILE_BYTES // 1024 // 1024} MB limit for a playbook file; split it",
            )
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise RefusedFile(
            Problem(name, "is not UTF-8 text; save it as UTF-8", line, None)
        ) from None
    return parse_yaml(text, name)


def parse_yaml(text: str, name: str) -> Document:
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = exc.problem or exc.context or "is not valid YAML"
        if mark is None:
            raise RefusedFile(Problem(name, f"is not valid YAML: {reason}")) from None
        raise RefusedFile(
            Problem(name, f"is not valid YAML: {reason}", mark.line + 1, mark.column + 1)
        ) from None
    except yaml.YAMLError as exc:
        raise RefusedFile(Problem(name, f"is not valid YAML: {exc}")) from None
    if root is None:
        return Document(name, None, None, [])
    builder = _Builder(name)
    data = builder.build(root)
    return Document(name, root, data, builder.problems)
