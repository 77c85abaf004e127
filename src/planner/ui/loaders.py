"""Cached loaders: the playbook library is parsed once per change of its files.

The library is cached as a shared resource, not copied per rerun: its models are frozen.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from planner.domain.catalog import SearchIndex, build_index
from planner.services.library import Library, default_folders, fingerprint, load_library


@st.cache_resource(show_spinner="Loading playbooks…", max_entries=4)
def _library_for(folders: tuple[str, ...], stamp: tuple[tuple[str, int, int], ...]) -> Library:
    del stamp  # only part of the cache key: a new modification time means a reload
    return load_library([Path(f) for f in folders])


def library() -> Library:
    """The library as the dashboard shows it; re-read only when a playbook file changes."""
    folders = default_folders()
    return _library_for(tuple(str(f) for f in folders), fingerprint(folders))


@st.cache_resource(show_spinner=False, max_entries=4)
def _index_for(folders: tuple[str, ...], stamp: tuple[tuple[str, int, int], ...]) -> SearchIndex:
    return build_index(_library_for(folders, stamp))


def search_index() -> SearchIndex:
    """The search index of `library()`, built once per library, not once per keystroke."""
    folders = default_folders()
    return _index_for(tuple(str(f) for f in folders), fingerprint(folders))
