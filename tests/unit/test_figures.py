"""Figures people may see (planner.services.figures): the command line prints them as they come,
so the small-group rule is applied here, once."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

from planner.services.figures import community_preview_lines, window


def _preview(**changes: Any) -> Any:
    export = SimpleNamespace(
        file="teams.csv",
        label="Microsoft Teams",
        window=window(date(2027, 3, 14), 7),
        window_from="the file's columns",
        rows=1_234,
        opted_out=changes.get("opted_out", 0),
    )
    readings = [
        SimpleNamespace(
            item_title="Peer circles",
            metric_name="Active members",
            period="2027-03",
            value=value,
            distinct_people=distinct,
        )
        for value, distinct in changes.get("readings", [])
    ]
    return SimpleNamespace(exports=[export], readings=readings, skipped=changes.get("skipped", []))


def test_small_groups_of_distinct_people_are_shown_as_fewer_than_five() -> None:
    lines = community_preview_lines(_preview(readings=[(3.0, True), (3.0, False), (12.0, True)]))
    assert lines[1:] == [
        "  'Peer circles', Active members, 2027-03: < 5",
        "  'Peer circles', Active members, 2027-03: 3",
        "  'Peer circles', Active members, 2027-03: 12",
    ]


def test_opted_out_people_left_out_are_counted_like_any_small_group() -> None:
    [line] = community_preview_lines(_preview(opted_out=2))
    assert line.startswith("teams.csv: Microsoft Teams, ")
    assert line.endswith("1,234 rows, opted-out people left out: < 5")
    [line] = community_preview_lines(_preview(opted_out=7))
    assert line.endswith("opted-out people left out: 7")
    [line] = community_preview_lines(_preview())
    assert line.endswith("1,234 rows")


def test_skipped_figures_are_listed_last() -> None:
    lines = community_preview_lines(_preview(skipped=["reactions: not a metric of the item"]))
    assert lines[-1] == "  skipped: reactions: not a metric of the item"
