"""Reading xAPI files as a stream of statements, each with its FILE:N position.

Files are JSON arrays of statements, LRS answers (`{"statements": [...], "more": ...}`) or JSON
lines, told apart by their first bytes. Arrays and LRS answers are parsed with ijson (its C
backend), JSON lines a line at a time, so memory does not grow with the file. A statement that
cannot be parsed comes as a `ParseError` in its place. Imports `planner.domain.limits` only.
"""

from __future__ import annotations

import codecs
import json
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from typing import IO, Any, NamedTuple

import ijson

from planner.domain.limits import (
    MAX_JSON_DEPTH,
    DepthGuardedStream,
    LimitError,
    json_depth_problem,
)

_PEEK = 64 * 1024


_SPOOL = 16 * 1024 * 1024  # non-seekable input (a pipe) is copied to a temporary file past this


_FIRST_KEY = re.compile(rb'\{\s*"((?:[^"\\]|\\.)*)"')


Position = str
"""`FILE:N`: the Nth statement of that file, counted from 1."""


class ParseError(NamedTuple):
    """A statement that could not be read as JSON (in place of the statement)."""

    message: str


def read_statements(files: Sequence[tuple[str, IO[bytes]]]) -> Iterator[tuple[Position, Any]]:
    """Every statement of every file, in order, as (`FILE:N`, the parsed JSON or a ParseError).

    A file that stops being valid JSON ends with one ParseError at the statement where it broke.
    """
    for name, stream in files:
        _shape, statements = file_statements(name, seekable_stream(stream))
        for n, stmt in statements:
            yield f"{name}:{n}", stmt


def seekable_stream(stream: IO[bytes]) -> IO[bytes]:
    if stream.seekable():
        return stream
    spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL)  # noqa: SIM115 - returned open
    shutil.copyfileobj(stream, spool)
    spool.seek(0)
    return spool


def file_statements(name: str, stream: IO[bytes]) -> tuple[str, Iterator[tuple[int, Any]]]:
    """The file's shape ('array', 'statement-result', 'json-lines' or 'unknown') and statements."""
    start = stream.tell()
    head = stream.read(_PEEK)
    skip = 0
    if head.startswith(codecs.BOM_UTF8):
        skip = len(codecs.BOM_UTF8)
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "unknown", _failed(1, "is UTF-16 text; save it as UTF-8")
    stripped = head[skip:].lstrip()
    while not stripped and len(head) == _PEEK:  # a long run of white space: look further
        head = stream.read(_PEEK)
        stripped = head.lstrip()
    stream.seek(start + skip)
    if not stripped:
        return "empty", iter(())
    first = stripped[:1]
    # Arrays and LRS answers are read through a guard that counts nesting on the raw bytes
    # before ijson sees them: ijson keeps a prefix per level, so a deep file would cost memory
    # that grows with the square of its depth.
    if first == b"[":
        return "array", _ijson_statements(DepthGuardedStream(stream, name), "item")
    if first == b"{":
        key = _FIRST_KEY.match(stripped)
        if key is not None and key.group(1) in (b"statements", b"more"):
            return "statement-result", _ijson_statements(
                DepthGuardedStream(stream, name), "statements.item"
            )
        return "json-lines", _json_lines(stream)
    return "unknown", _failed(
        1,
        "is not JSON; give a JSON array of statements, an LRS answer "
        '({"statements": [...]}) or JSON lines (one statement per line)',
    )


def _failed(n: int, message: str) -> Iterator[tuple[int, Any]]:
    yield n, ParseError(message)


def _ijson_statements(stream: DepthGuardedStream, prefix: str) -> Iterator[tuple[int, Any]]:
    n = 0
    try:
        for n, stmt in enumerate(ijson.items(stream, prefix, use_float=True), 1):
            yield n, stmt
    except ijson.JSONError as exc:
        yield n + 1, ParseError(f"{_first_line(exc)}; the rest of the file could not be read")
    except LimitError as exc:
        yield n + 1, ParseError(f"{exc}; the rest of the file was not read")


def _first_line(exc: Exception) -> str:
    """yajl's message without the excerpt of the file it appends (which may hold an email)."""
    raw = exc.args[0] if exc.args else ""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    text = text.strip().splitlines()[0] if text.strip() else "not valid JSON"
    if not text.startswith(("parse error", "lexical error")):
        return f"not valid JSON: {text}"
    return "not valid JSON: " + text.split(":", 1)[1].strip()


_DECODE = json.JSONDecoder().raw_decode


_NOT_LINES = (
    "starts with a JSON object that does not end on its first line; give a JSON array of "
    'statements, an LRS answer ({"statements": [...]}) or JSON lines (one statement per line)'
)


def _json_lines(stream: IO[bytes]) -> Iterator[tuple[int, Any]]:
    # raw_decode on the decoded line: json.loads without its per-call encoding sniffing.
    n = 0
    decode = _DECODE
    for line in stream:
        if line.isspace():
            continue
        n += 1
        text = ""
        if line.count(b"[") + line.count(b"{") > MAX_JSON_DEPTH:
            too_deep = json_depth_problem(line)
            if too_deep is not None:
                yield n, ParseError(too_deep.split(": ", 1)[1])
                continue
        try:
            text = line.decode("utf-8")
            if text[0] <= " ":
                text = text.lstrip()
            stmt, end = decode(text)
            if end == len(text) or text[end:].isspace():
                yield n, stmt
                continue
            problem = f"not valid JSON: more after the statement, at column {end + 1} of its line"
        except json.JSONDecodeError as exc:
            if n == 1 and text.startswith("{"):
                yield n, ParseError(_NOT_LINES)
                return
            problem = f"not valid JSON: {exc.msg} at column {exc.colno} of its line"
        except UnicodeDecodeError:
            problem = "not valid JSON: the line is not UTF-8 text"
        except RecursionError:
            problem = "not valid JSON: nested too deeply"
        yield n, ParseError(problem)
