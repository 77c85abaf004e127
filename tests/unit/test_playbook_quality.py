"""The built-in library meets the bar a review board sets: every metric says where its number
comes from and what it starts from, rates name their denominator, cadences fit durations,
launches come after the charter and a sponsor, tagging stays honest and steps do not repeat."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from planner.domain.playbook import Metric, Tactic
from planner.exchange.playbooks import BUILTIN_DIR, Library, load_library

MIN_WEEKS = {"weekly": 2, "monthly": 9, "quarterly": 26, "once": 1, "end": 1}
"""The shortest tactic whose metric of this cadence gets at least two readings (one for once
and end), so the no-data rule never fires for want of time."""
CHARTER, SPONSOR, REPOSITORY = (
    "informal-learning-charter",
    "executive-sponsor-agreement",
    "internal-knowledge-repository",
)
RESULTS_FRAMEWORKS = {"kirkpatrick-4", "kirkpatrick-5", "value-realized"}


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library([BUILTIN_DIR])


def metrics(library: Library) -> list[tuple[Tactic, Metric]]:
    return [(t, m) for t in library.tactics.values() for m in t.metrics]


def before(library: Library, tactic_id: str) -> set[str]:
    """Every tactic that must come before `tactic_id` (transitive prerequisites)."""
    found: set[str] = set()
    todo = list(library.tactics[tactic_id].prerequisites)
    while todo:
        pre = todo.pop()
        if pre not in found:
            found.add(pre)
            todo.extend(library.tactics[pre].prerequisites)
    return found


def is_rate(m: Metric) -> bool:
    words = f"{m.name} {m.unit}".lower()
    return (
        m.unit == "percent"
        or m.unit.startswith("per ")
        or bool(re.search(r"\b(share|rate|ratio)\b", words))
    )


def test_every_metric_says_where_its_number_comes_from(library: Library) -> None:
    missing = [f"{t.id}/{m.id}" for t, m in metrics(library) if m.source is None]
    assert missing == []
    roles = library.taxonomy.ids("owner_roles")
    for t, m in metrics(library):
        assert m.source is not None and m.source.collected_by in roles, (t.id, m.id)


def test_every_metric_has_a_baseline_or_a_rule_for_taking_it(library: Library) -> None:
    missing = [f"{t.id}/{m.id}" for t, m in metrics(library) if m.baseline is None]
    assert missing == []


def test_rates_name_their_denominator(library: Library) -> None:
    missing = [f"{t.id}/{m.id}" for t, m in metrics(library) if is_rate(m) and not m.denominator]
    assert missing == []


def test_the_rate_check_recognises_rates() -> None:
    def metric(name: str, unit: str) -> Metric:
        return Metric(
            id="m",
            name=name,
            unit=unit,
            aggregation="latest",
            direction="higher",
            target=1.0,
            cadence="monthly",
            definition="A definition long enough to pass the model.",
            framework="value-applied",
        )

    assert is_rate(metric("A", "percent"))
    assert is_rate(metric("Error rate", "errors"))
    assert is_rate(metric("C", "per 100 cases"))
    assert not is_rate(metric("Sessions held", "sessions"))


def test_cadence_fits_the_duration(library: Library) -> None:
    short = [
        f"{t.id}/{m.id}: {m.cadence} over {t.duration_weeks} weeks"
        for t, m in metrics(library)
        if t.duration_weeks < MIN_WEEKS[m.cadence]
    ]
    assert short == []


def test_behaviour_is_not_self_reported_on_the_last_day(library: Library) -> None:
    """Level-3 metrics are observed, logged or read from a system, or surveyed on a rhythm
    after the fact: never a single closing self-report."""
    wrong = [
        f"{t.id}/{m.id}"
        for t, m in metrics(library)
        if m.framework == "kirkpatrick-3"
        and m.source is not None
        and m.source.kind == "survey"
        and m.cadence == "end"
    ]
    assert wrong == []


def test_results_claims_point_at_business_outcomes(library: Library) -> None:
    outcomes = library.taxonomy.ids("outcome_measures")
    for t in library.tactics.values():
        claims = {m.framework for m in t.metrics} & RESULTS_FRAMEWORKS
        if claims:
            assert t.outcomes, f"{t.id} claims {sorted(claims)} but names no outcome measure"
        assert set(t.outcomes) <= outcomes, t.id


def test_every_launch_comes_after_the_charter_and_a_sponsor(library: Library) -> None:
    launches = [t.id for t in library.tactics.values() if t.launches]
    assert len(launches) >= 10
    for tid in launches:
        assert {CHARTER, SPONSOR} <= before(library, tid), tid


def test_what_people_join_is_flagged_as_a_launch(library: Library) -> None:
    """Communities, circles, mentoring and external memberships are launches."""
    for t in library.tactics.values():
        joins = t.stage == "coalescing" or re.search(
            r"mentoring|circles|triads|associations|frontline-community|coordinator-network",
            t.id,
        )
        if joins:
            assert t.launches, t.id


def test_a_repository_exists_before_anything_files_into_it(library: Library) -> None:
    for t in library.tactics.values():
        if t.id == REPOSITORY:
            continue
        files_into = "internal-repository" in t.practices or any(
            "repository" in s.text.lower() for s in t.steps
        )
        if files_into:
            assert REPOSITORY in before(library, t.id), t.id


def test_a_community_can_be_closed_or_merged_from_any_stage(library: Library) -> None:
    (closing,) = [t for t in library.tactics.values() if t.stage == "transformation"]
    staged = {t.id for t in library.tactics.values() if t.stage}
    assert not before(library, closing.id) & staged


def test_no_tactic_has_more_than_three_purposes(library: Library) -> None:
    assert [t.id for t in library.tactics.values() if len(t.purposes) > 3] == []


def test_no_step_sentence_is_repeated(library: Library) -> None:
    sentences = Counter(
        " ".join(sentence.lower().split())
        for t in library.tactics.values()
        for s in t.steps
        for sentence in re.split(r"(?<=[.!?])\s+", s.text)
        if len(sentence.split()) >= 4
    )
    assert [text for text, n in sentences.items() if n > 1] == []


def test_steps_are_in_week_order(library: Library) -> None:
    for t in library.tactics.values():
        weeks = [s.week for s in t.steps]
        assert weeks == sorted(weeks), t.id


SECOND_EDITION = (
    "job-shadowing",
    "rotations-secondments-and-gigs",
    "problem-sprints",
    "internal-podcast-and-short-videos",
    "frontline-community-shift-format",
    "community-take-part-guide",
    "community-coordinator-network",
    "knowledge-sharing-in-performance-conversations",
    "psychological-safety-for-learning-from-mistakes",
    "mentoring-career-and-psychosocial",
)


def test_the_missing_tactics_are_there_and_complete(library: Library) -> None:
    assert "mentoring-with-response-targets" not in library.tactics  # the question-log version
    for tid in SECOND_EDITION:
        t = library.tactics[tid]
        assert len(t.steps) >= 5 and len(t.metrics) >= 2 and len(t.references) >= 2, tid
        assert len({s.week for s in t.steps}) == len(t.steps), tid
        assert any(m.framework in {"kirkpatrick-3", "value-applied"} for m in t.metrics), tid


def test_mentoring_is_built_on_both_functions_with_a_no_fault_exit(library: Library) -> None:
    t = library.tactics["mentoring-career-and-psychosocial"]
    text = " ".join(s.text.lower() for s in t.steps)
    for part in ("match", "brief", "agreement", "no-fault exit", "career", "psychosocial"):
        assert part in text, part
    assert any("Kram" in (r.author or "") for r in t.references)


def test_all_value_cycles_of_the_2020_book_are_in_the_vocabulary(library: Library) -> None:
    """Wenger-Trayner & Wenger-Trayner (2020): five cycles plus orienting, enabling, strategic."""
    cycles = {"immediate", "potential", "applied", "realized", "transformative"}
    cycles |= {"orienting", "enabling", "strategic"}
    assert {f"value-{c}" for c in cycles} <= library.taxonomy.ids("frameworks")


def test_the_transformation_stage_says_it_can_follow_any_stage(library: Library) -> None:
    (stage,) = [s for s in library.taxonomy.stages if s.id == "transformation"]
    assert "any stage" in stage.description


SEED_NOTES = "Laura Pasquini"
"""The CPLP study notes every tactic draws on; their note is the licence, not a claim."""


def test_every_cited_work_says_what_it_supports_here(library: Library) -> None:
    """A reference names more than a publisher: its note says what in the work the tactic
    relies on, so a reader can check the claim against the work."""
    thin = [
        f"{t.id}: {r.author} ({r.year}) {r.title}"
        for t in library.tactics.values()
        for r in t.references
        if r.author != SEED_NOTES and len((r.note or "").split()) < 10
    ]
    assert thin == []
    years = {r.year for t in library.tactics.values() for r in t.references if r.year}
    assert all(1900 < y <= 2026 for y in years)
