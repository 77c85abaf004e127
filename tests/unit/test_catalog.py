"""Finding tactics: words in any order, typos, tags, ranking, "did you mean" and filter hints."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from planner.domain.catalog import TacticFilter, build_index, find, search
from planner.domain.playbook import Tactic
from planner.exchange.playbooks import Library, load_default_library


@pytest.fixture(scope="module")
def lib() -> Library:
    return load_default_library()


def titles(found: list[Tactic]) -> set[str]:
    return {t.title for t in found}


def tagged(lib: Library, kind: str, entry_id: str) -> set[str]:
    return {
        t.title
        for t in lib.tactics.values()
        if (t.category == entry_id if kind == "categories" else entry_id in getattr(t, kind))
    }


@pytest.mark.parametrize("kind", ["practices", "purposes", "categories"])
def test_the_title_of_a_tag_finds_every_tactic_tagged_with_it(lib: Library, kind: str) -> None:
    index = build_index(lib)
    checked = 0
    for entry in getattr(lib.taxonomy, kind):
        expected = tagged(lib, kind, entry.id)
        if not expected:
            continue
        found = find(lib, TacticFilter(text=entry.title), index)
        assert expected <= titles(found.tactics), entry.title
        # and it is offered as a filter in one click
        assert (kind, entry.id) in {(e.kind, e.entry_id) for e in found.filters}, entry.title
        checked += 1
    assert checked >= 3


def test_community_of_practice_finds_what_the_practice_filter_finds(lib: Library) -> None:
    by_filter = search(lib, TacticFilter(practices=frozenset({"communities-of-practice"})))
    by_text = search(lib, TacticFilter(text="community of practice"))
    assert len(by_filter) >= 5
    assert titles(by_filter) <= titles(by_text)
    labels = [e.label for e in find(lib, TacticFilter(text="community of practice")).filters]
    assert "Practice: Communities of practice" in labels


def test_words_match_in_any_order(lib: Library) -> None:
    one = search(lib, TacticFilter(text="community of practice"))
    other = search(lib, TacticFilter(text="practice communities"))
    assert one and titles(one) == titles(other)


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("communty of practis", "community of practice"),
        ("comunity pratice", "community practice"),
        ("leadrship", "leadership"),
        ("mentorng", "mentoring"),
    ],
)
def test_typos_are_forgiven_and_corrected(lib: Library, typo: str, meant: str) -> None:
    found = find(lib, TacticFilter(text=typo))
    assert found.did_you_mean == meant
    assert titles(search(lib, TacticFilter(text=meant))) <= titles(found.tactics)
    assert found.tactics


def test_a_correct_query_gets_no_did_you_mean(lib: Library) -> None:
    assert find(lib, TacticFilter(text="working out loud")).did_you_mean is None


def test_onboarding_culture_finds_the_onboarding_purpose(lib: Library) -> None:
    found = find(lib, TacticFilter(text="onboarding culture"))
    assert tagged(lib, "purposes", "onboard-culture") <= titles(found.tactics)
    assert ("purposes", "onboard-culture") in {(e.kind, e.entry_id) for e in found.filters}


def test_nothing_found_suggests_filters_that_name_some_of_the_words(lib: Library) -> None:
    found = find(lib, TacticFilter(text="xq job aids"))
    assert found.tactics == []
    assert "Practice: Provide quick-reference job aids" in [e.label for e in found.filters]


def test_gibberish_finds_nothing_and_suggests_nothing(lib: Library) -> None:
    found = find(lib, TacticFilter(text="zzzqqq"))
    assert found.tactics == [] and found.did_you_mean is None and found.filters == ()


def test_ranked_title_before_tag_before_summary_before_steps(lib: Library) -> None:
    base = next(iter(lib.tactics.values()))
    step = base.steps[0]

    def make(tid: str, title: str, summary: str, step_text: str) -> Tactic:
        return base.model_copy(
            update={
                "id": tid,
                "title": title,
                "summary": summary,
                "steps": [step.model_copy(update={"text": step_text})],
                "purposes": [],
                "practices": [],
            }
        )

    tactics = [
        make("in-steps", "Alpha", "Nothing here.", "Try a zebracrossing walk."),
        make("in-summary", "Beta", "A zebracrossing walk.", "Nothing."),
        make("in-title", "Zebracrossing walk", "Nothing here.", "Nothing."),
    ]
    small = replace(lib, tactics={t.id: t for t in tactics}, sources={})
    found = search(small, TacticFilter(text="walk zebracrossing"))
    assert [t.id for t in found] == ["in-title", "in-summary", "in-steps"]


def test_filters_still_narrow_a_text_search(lib: Library) -> None:
    everything = search(lib, TacticFilter(text="community"))
    networks = search(lib, TacticFilter(text="community", categories=frozenset({"networks"})))
    assert networks and len(networks) < len(everything)
    assert all(t.category == "networks" for t in networks)


def test_a_prebuilt_index_gives_the_same_answer(lib: Library) -> None:
    index = build_index(lib)
    for text in ["communty", "job aid", "leadership culture", ""]:
        f = TacticFilter(text=text)
        assert find(lib, f, index) == find(lib, f)


def test_search_over_a_thousand_tactics_stays_interactive(lib: Library) -> None:
    base = list(lib.tactics.values())
    many = {
        f"{t.id}-{k}": t.model_copy(update={"id": f"{t.id}-{k}", "title": f"{t.title} {k}"})
        for k in range(1000 // len(base) + 1)
        for t in base
    }
    big = replace(lib, tactics=many, sources={})
    index = build_index(big)
    start = time.perf_counter()
    for text in ["communty of practis", "mentoring", "onboarding culture", "zzzqqq"]:
        find(big, TacticFilter(text=text), index)
    assert (time.perf_counter() - start) / 4 < 0.15  # seconds a search, well within a keystroke


def test_at_most_six_filters_are_suggested(lib: Library) -> None:
    from planner.domain.catalog import MAX_FILTER_SUGGESTIONS

    index = build_index(lib)
    words = {"community", "job"}
    naming = [e for e in index.tags if words & e.stems]
    assert len(naming) > MAX_FILTER_SUGGESTIONS  # more purposes/practices name them than shown
    found = find(lib, TacticFilter(text="xq community job"), index)
    assert found.tactics == []
    assert len(found.filters) == MAX_FILTER_SUGGESTIONS
