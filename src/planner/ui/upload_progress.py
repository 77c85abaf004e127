"""A progress bar over uploaded files being read (community exports): the share of their bytes
read so far, then a line saying how many rows of how many files were read.

Streamlit only; takes the uploads' streams and a community preview from planner.services.
"""

from __future__ import annotations

import io

import streamlit as st

from planner.services.community import (
    CommunityPreview,
)


class UploadBar:
    """A progress bar over the uploads being read: the share of their bytes read so far."""

    def __init__(self, streams: list[tuple[str, io.BytesIO]]) -> None:
        self.streams = {name.rsplit("/", 1)[-1]: stream for name, stream in streams}
        self.order = list(self.streams)
        self.total = sum(len(s.getbuffer()) for s in self.streams.values()) or 1
        self.place = st.empty()
        self.place.progress(0.0, text="Reading the files…")

    def update(self, name: str, rows: int) -> None:
        stream = self.streams.get(name)
        if stream is None:
            return
        before = sum(len(self.streams[n].getbuffer()) for n in self.order[: self.order.index(name)])
        share = min(1.0, (before + stream.tell()) / self.total)
        self.place.progress(share, text=f"{name}: {rows:,} rows read ({share:.0%})")

    def done(self, preview: CommunityPreview) -> None:
        rows = sum(e.rows for e in preview.exports)
        files = len(preview.exports)
        self.place.progress(
            1.0, text=f"Read {rows:,} rows from {files:,} file{'s' if files != 1 else ''}."
        )
