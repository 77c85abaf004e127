"""The sample plan's records (planner.domain.sample_plan, planner.domain.sample_readings) hang
together: every key and index they use names something the sample has."""

from __future__ import annotations

from planner.domain.sample_plan import (
    COMMUNITY,
    HUDDLES,
    HUDDLES_ITEM,
    ITEMS,
    PEOPLE,
    REVIEWS,
    STORIES,
)
from planner.domain.sample_readings import CONTRIBUTORS, SERIES


def test_every_person_named_in_the_sample_is_one_of_its_people() -> None:
    keys = {p.key for p in PEOPLE}
    assert len(keys) == len(PEOPLE)
    named = {i.owner for i in ITEMS if i.owner} | {HUDDLES_ITEM.owner}
    named |= {s.author for s in STORIES}
    named |= {k for r in REVIEWS for k in r.attendees}
    named |= {a.owner for r in REVIEWS for a in r.new_actions}
    assert named <= keys, named - keys


def test_series_and_stories_point_at_items_of_the_sample() -> None:
    assert len(ITEMS) == HUDDLES
    assert all(0 <= s.item <= HUDDLES for s in SERIES)
    assert all(0 <= s.item < len(ITEMS) for s in STORIES)
    assert ITEMS[COMMUNITY].cop_stage == "coalescing"
    assert len(CONTRIBUTORS) >= 12  # a reading a week from the baselines to today
    huddle_metrics = {m.id for m in HUDDLES_ITEM.metrics}
    assert {s.metric for s in SERIES if s.item == HUDDLES} <= huddle_metrics


def test_a_review_closes_only_actions_set_at_an_earlier_review() -> None:
    set_before = 0
    for review in sorted(REVIEWS, key=lambda r: -r.weeks_ago):
        assert all(0 <= k < set_before for k in review.closes)
        set_before += len(review.new_actions)
    assert [r.weeks_ago for r in REVIEWS] == sorted((r.weeks_ago for r in REVIEWS), reverse=True)
