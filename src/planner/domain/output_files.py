"""Writing users' files safely: atomically (a temporary file renamed into place), with a
message that says what went wrong (disk full, no permission) and that nothing was left behind.

Also the message for a database write refused for lack of space. A leaf: the standard library
and planner.errors only; `planner.domain.limits` re-exports every public name.
"""

from __future__ import annotations

import errno
import os
import tempfile
from contextlib import suppress
from pathlib import Path

from planner.errors import PlannerError


class DiskFullError(PlannerError):
    """The database could not be written for lack of space; the transaction rolled back."""


class WriteFailedError(PlannerError):
    """A file could not be written (disk full, no permission); nothing was left behind."""


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all: a temporary file in the same folder, flushed
    to disk, then renamed over `path`. A full disk or a refused write raises WriteFailedError
    and leaves neither a partial file nor the temporary one (an older `path` stays as it was)."""
    path = Path(path)
    temporary: str | None = None
    try:
        fd, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".part", dir=path.parent or Path(".")
        )
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
        temporary = None
    except OSError as exc:
        raise WriteFailedError(write_failure(path, exc)) from None
    finally:
        if temporary is not None:
            with suppress(OSError):
                os.unlink(temporary)


def write_failure(path: Path | str, exc: OSError) -> str:
    """The message for a file that could not be written."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        why = "the disk is full; free some space and try again"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        why = "no permission to write there; choose another folder"
    elif exc.errno == errno.ENOENT:
        why = "the folder does not exist"
    else:
        why = exc.strerror or str(exc)
    return f"cannot write {path}: {why}. Nothing was written."


def write_output(path: Path, data: bytes) -> None:
    """`planner export -o PATH`: atomically for a file (see write_atomically); straight to a
    device or pipe that is already there (`-o /dev/stdout`), which cannot be renamed over."""
    path = Path(path)
    if path.exists() and not path.is_file():
        try:
            with path.open("wb") as handle:
                handle.write(data)
        except OSError as exc:
            raise WriteFailedError(write_failure(path, exc)) from None
        return
    write_atomically(path, data)


_DISK_FULL_WORDS = ("database or disk is full", "no space left on device", "disk quota exceeded")


def disk_full_message(exc: BaseException) -> str | None:
    """The message for an error that comes down to a full disk (an OSError ENOSPC, SQLite's
    "database or disk is full", PostgreSQL's "No space left on device"), else None."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in (errno.ENOSPC, errno.EDQUOT):
            break
        if any(word in str(current).lower() for word in _DISK_FULL_WORDS):
            break
        orig = getattr(current, "orig", None)  # SQLAlchemy's wrapper around the driver's error
        current = (
            orig if isinstance(orig, BaseException) else current.__cause__ or current.__context__
        )
    else:
        return None
    return (
        "the disk is full, so nothing was saved (a write is all or nothing). Free some space, "
        "then try again."
    )
