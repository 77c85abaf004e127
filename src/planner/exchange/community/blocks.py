"""Reading a per-person export's data rows in blocks with pyarrow's CSV parser (the fast path).

A 100,000-person export read row by row in Python spends most of its time making strings of
columns nobody reads. Here the rows after the header are read in line-aligned blocks of about
`BLOCK_BYTES` (so memory stays bounded), each block parsed by pyarrow's C++ CSV parser into
the few columns a format needs, as strings, for the format to check and count column-wise.

The fast path only vouches for what it can prove reads exactly as `reader.Rows` would read it:
a block holding a quote, a NUL, a carriage return not followed by a line feed, bytes that are
not UTF-8, a line longer than `reader.MAX_CELL_CHARS` bytes, a row with another number of
cells than the header, or a row that may be blank raises `Unsure`, and the caller reads the
whole file again row by row, which names the file, row and column of any problem. Without
quotes a line is its cells split at the commas, exactly as `Rows` splits a line without quotes.

May import: pyarrow, and reader's limits. No database, no services.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import IO, TYPE_CHECKING

from planner.exchange.community.reader import MAX_CELL_CHARS, MAX_LINE_BYTES

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pyarrow as pa

BLOCK_BYTES = 1 << 20
"""About how many bytes of rows are parsed at a time (a block ends at a line end)."""


class Unsure(Exception):
    """The fast path cannot vouch for this file: read it row by row instead."""


def blocks(
    stream: IO[bytes],
    width: int,
    columns: Iterable[int],
    *,
    dictionary: Iterable[int] = (),
    on_rows: Callable[[int], None] | None = None,
) -> Iterator[pa.Table]:
    """The data rows from the stream's position on, a table per block with the `columns`
    (header positions) as string columns named by their position, dictionary-encoded for those
    in `dictionary` (columns of few distinct texts: dates, flags, counts). `on_rows` gets the
    number of lines of each block (blank ones too, as `Rows` counts them)."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    names = [str(k) for k in range(width)]
    wanted, coded = sorted(set(columns)), set(dictionary)
    parse = pa_csv.ParseOptions(quote_char=False, newlines_in_values=False, ignore_empty_lines=True)
    convert = pa_csv.ConvertOptions(
        include_columns=[names[k] for k in wanted],
        column_types={
            names[k]: pa.dictionary(pa.int32(), pa.string()) if k in coded else pa.string()
            for k in wanted
        },
        null_values=[],
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )
    while block := _next_block(stream):
        lines = _checked_lines(block)
        read = pa_csv.ReadOptions(column_names=names, use_threads=False, block_size=len(block) + 1)
        try:
            table = pa_csv.read_csv(
                pa.py_buffer(block),
                read_options=read,
                parse_options=parse,
                convert_options=convert,
            )
        except pa.ArrowInvalid:
            raise Unsure("a row pyarrow does not read as the row reader would") from None
        if on_rows is not None:
            on_rows(lines)
        yield table


def _next_block(stream: IO[bytes]) -> bytes:
    """About `BLOCK_BYTES` of whole lines."""
    block = stream.read(BLOCK_BYTES)
    if block and not block.endswith(b"\n"):
        block += stream.readline(MAX_LINE_BYTES + 1)
    return block


def _checked_lines(block: bytes) -> int:
    """The number of lines in the block, checked (see the module docstring)."""
    import numpy as np

    if b'"' in block or b"\x00" in block:
        raise Unsure("quotes or a NUL")
    if not block.isascii():
        try:
            block.decode("utf-8")
        except UnicodeDecodeError:
            raise Unsure("not UTF-8") from None
    octets = np.frombuffer(block, np.uint8)
    ends = np.flatnonzero(octets == 0x0A)
    if len(block) > MAX_CELL_CHARS:
        bounds = np.concatenate(([-1], ends, [len(block) - 1]))
        if int(np.diff(bounds).max()) > MAX_CELL_CHARS:
            raise Unsure("a line longer than a cell may be")
    returns = np.flatnonzero(octets == 0x0D)
    if len(returns) and (
        returns[-1] + 1 == len(block) or not bool((octets[returns + 1] == 0x0A).all())
    ):
        raise Unsure("a carriage return inside a line")
    return len(ends) + (not block.endswith(b"\n"))


def distinct(column: pa.ChunkedArray) -> list[str]:
    """The distinct texts of a dictionary-encoded column, in the order first met."""
    seen: dict[str, None] = {}
    for chunk in column.chunks:
        seen.update(dict.fromkeys(chunk.dictionary.to_pylist()))
    return list(seen)


class Judged:
    """A yes/no judgement of a cell's text (e.g. whether a date is inside the window) over a
    dictionary-encoded column: each distinct text is judged once, with the row reader's own
    cell functions (so a bad cell raises as it would there)."""

    def __init__(self, judge: Callable[[str], bool]) -> None:
        self.judge = judge
        self.known: dict[str, bool] = {}

    def __call__(self, column: pa.ChunkedArray) -> npt.NDArray[np.bool_]:
        import numpy as np

        masks = []
        for chunk in column.chunks:
            texts = chunk.dictionary.to_pylist()
            for text in texts:
                if text not in self.known:
                    self.known[text] = self.judge(text)
            lookup = np.array([self.known[t] for t in texts] or [False], dtype=bool)
            masks.append(lookup[chunk.indices.to_numpy(zero_copy_only=False)])
        return np.concatenate(masks) if masks else np.zeros(0, dtype=bool)
