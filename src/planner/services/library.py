"""The playbook library as use cases: load it, find its folders, describe its formats.

What the CLI and the dashboard's loaders need of `planner.exchange.playbooks` (which reads the
YAML files), so neither reaches into the formats: the library as the dashboard loads it
(built-ins, then PLANNER_PLAYBOOKS), a library of given folders (for `planner validate`), the
files' fingerprint (to reload when one changes), the JSON Schemas editors validate against, and
where a metric's default target comes from. May import the domain and the exchange formats.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from planner.domain.library import Library as Library
from planner.exchange.playbooks import BUILTIN_DIR as BUILTIN_DIR
from planner.exchange.playbooks import TAXONOMY_FILE as TAXONOMY_FILE
from planner.exchange.playbooks import default_folders as default_folders
from planner.exchange.playbooks import fingerprint as fingerprint
from planner.exchange.playbooks import load_default_library as load_default_library
from planner.exchange.playbooks import load_library as load_library
from planner.exchange.playbooks import metric_provenance as metric_provenance
from planner.exchange.playbooks import playbook_json_schema as playbook_json_schema
from planner.exchange.playbooks import taxonomy_json_schema as taxonomy_json_schema

__all__ = [
    "BUILTIN_DIR",
    "TAXONOMY_FILE",
    "Library",
    "default_folders",
    "fingerprint",
    "library_for",
    "load_default_library",
    "load_library",
    "metric_provenance",
    "playbook_json_schema",
    "taxonomy_json_schema",
]


def library_for(paths: Sequence[Path] | None = None) -> Library:
    """The library of these files or folders (on top of the built-in taxonomy, later paths
    overriding earlier ones), or without paths the library exactly as the dashboard loads it."""
    return load_library(list(paths) if paths else default_folders())
