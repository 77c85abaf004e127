"""Honest tags and reachable targets: a tactic is tagged with a purpose or practice only when one
of its steps speaks of it (the taxonomy's `signals`), and each default target is sized for the
tactic's audience and duration (`audience_size`, percent range, baseline direction)."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.domain.playbook import MAX_COUNT_PER_PERSON_WEEK
from planner.exchange.playbook_checks import speaks_of, unserved_tags
from planner.exchange.playbooks import BUILTIN_DIR, Library, load_library

MOST_TACTICS = 2 / 3
"""A rule that matches the steps of more than this share of all tactics tells nothing apart."""


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library([BUILTIN_DIR])


# --- tags -----------------------------------------------------------------------------------


def test_every_purpose_and_practice_says_what_a_serving_step_speaks_of(library: Library) -> None:
    tax = library.taxonomy
    assert [e.id for e in [*tax.purposes, *tax.practices] if not e.signals] == []


def test_every_tag_of_every_tactic_is_served_by_one_of_its_steps(library: Library) -> None:
    found = {t.id: unserved_tags(t, library.taxonomy) for t in library.tactics.values()}
    assert {tid: tags for tid, tags in found.items() if tags} == {}


def test_no_rule_is_so_broad_that_every_tactic_passes(library: Library) -> None:
    """The check can fail: each rule leaves at least a third of the tactics unmatched."""
    tactics = list(library.tactics.values())
    broad = {}
    for entry in [*library.taxonomy.purposes, *library.taxonomy.practices]:
        hits = sum(
            any(speaks_of(sig, step.text) for sig in entry.signals for step in t.steps)
            for t in tactics
        )
        if hits > MOST_TACTICS * len(tactics):
            broad[entry.id] = f"{hits} of {len(tactics)}"
    assert broad == {}


def test_a_tag_no_step_serves_is_caught(library: Library) -> None:
    aids = library.tactics["job-aid-library"]
    assert unserved_tags(aids, library.taxonomy) == []
    inflated = aids.model_copy(
        update={
            "purposes": [*aids.purposes, "expand-scope"],
            "practices": [*aids.practices, "external-communities"],
        }
    )
    assert unserved_tags(inflated, library.taxonomy) == [
        "purposes:expand-scope",
        "practices:external-communities",
    ]


def test_a_signal_matches_at_the_start_of_a_word_whatever_the_case() -> None:
    assert speaks_of("skill", "Build the Skills people need")
    assert not speaks_of("skill", "an upskilling plan")
    assert speaks_of("job aid", "Place each job aid at the point of use")
    assert not speaks_of("tip", "multiply the figures")


# --- targets --------------------------------------------------------------------------------


def test_every_builtin_tactic_states_its_audience_size(library: Library) -> None:
    missing = [t.id for t in library.tactics.values() if t.audience_size is None]
    assert missing == []


def test_builtin_targets_are_sized_for_audience_and_duration(library: Library) -> None:
    """Distinct people within the audience; counts within the per-person-week rule; percents
    from 0 to 100 (the loader enforces these; here they are spelled out for the library)."""
    wrong = []
    for t in library.tactics.values():
        assert t.audience_size is not None
        for m in t.metrics:
            unit = m.unit.lower()
            if unit == "percent" and not 0 <= m.target <= 100:
                wrong.append(f"{t.id}/{m.id}: {m.target:g} percent")
            if unit == "people" and m.target > t.audience_size.max:
                wrong.append(f"{t.id}/{m.id}: {m.target:g} of {t.audience_size.max} people")
            if unit != "people" and m.aggregation == "sum" and not m.is_share:
                per = m.target / (t.audience_size.max * t.duration_weeks)
                if m.direction == "higher" and per > MAX_COUNT_PER_PERSON_WEEK:
                    wrong.append(f"{t.id}/{m.id}: {per:.2f} a person a week")
    assert wrong == []


TACTIC = """\
title: Test playbook
tactics:
  - id: alpha
    title: Alpha
    summary: A cohort shares what it reads.
    category: networks
    purposes: [update-skills]
    practices: [pln]
    audiences: [employees]
    owner_role: ld-partner
    effort_hours_per_week: 1
    duration_weeks: 4
    audience_size: {min: 10, max: 15}
    steps:
      - {week: 0, text: "Invite the cohort and ask each person to pick three sources."}
      - {week: 1, text: "Post one share a week in the cohort thread."}
      - {week: 3, text: "Close with a call on what each person used."}
    metrics:
      - id: shares
        name: Shares posted
        unit: shares
        aggregation: sum
        direction: higher
        target: 30
        cadence: weekly
        definition: Count the shares posted in the cohort thread in the week.
        framework: value-immediate
      - id: confident
        name: Participants confident to find sources
        unit: percent
        aggregation: latest
        direction: higher
        target: 80
        cadence: end
        baseline: {rule: value, value: 50, note: The intake form.}
        definition: Share of participants who say they can find good sources alone.
        framework: kirkpatrick-2
      - id: took-part
        name: People who posted at least once
        unit: people
        aggregation: latest
        direction: higher
        target: 12
        cadence: end
        definition: Count the distinct people who posted at least one share.
        framework: value-immediate
    references:
      - title: A book
"""


def problems(tmp_path: Path, text: str) -> list[str]:
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    return [str(p) for p in load_library([tmp_path]).problems]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("target: 30", "target: 30", ""),  # 30 from 15 people in 4 weeks: 0.5 each a week
        (
            "target: 30",
            "target: 60",  # the example: 60 shares from 10-15 people in four weeks
            "metrics[0].target: found 60 shares, expected at most 30: 0.5 a person a week from "
            "up to 15 people over 4 weeks",
        ),
        (
            "target: 12",
            "target: 16",
            "metrics[2].target: found 16 people, expected at most the audience's 15",
        ),
        (
            "target: 80",
            "target: 120",
            "metrics[1].target: found 120, expected a percent from 0 to 100",
        ),
        (
            "target: 80",
            "target: 45",
            "metrics[1].target: found 45, expected a target above the baseline 50",
        ),
        (
            "audience_size: {min: 10, max: 15}",
            "audience_size: {min: 20, max: 15}",
            "audience_size: max (15) is below min (20)",
        ),
    ],
)
def test_an_unreachable_target_is_located(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert old in TACTIC
    found = problems(tmp_path, TACTIC.replace(old, new))
    if not message:
        assert found == []
    else:
        assert len(found) == 1 and message in found[0], found


def test_without_an_audience_size_only_the_range_and_baseline_rules_apply(tmp_path: Path) -> None:
    text = TACTIC.replace("    audience_size: {min: 10, max: 15}\n", "")
    assert problems(tmp_path, text.replace("target: 30", "target: 600")) == []
    (found,) = problems(tmp_path, text.replace("target: 80", "target: 101"))
    assert "expected a percent from 0 to 100" in found
