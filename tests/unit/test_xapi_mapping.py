"""xAPI mapping rules: the YAML checks with file:line, resolution against a plan, matching."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.domain.planning import PlanItem, item_from_tactic
from planner.domain.playbook import Metric
from planner.exchange.playbooks import BUILTIN_DIR, Library, load_library
from planner.exchange.xapi_mapping import SAMPLE_MAPPING, MappingError, load_mapping
from planner.services.sample import ITEMS

ASKED = "http://adlnet.gov/expapi/verbs/asked"
ANSWERED = "http://adlnet.gov/expapi/verbs/answered"
JOIN = "http://activitystrea.ms/schema/1.0/join"
SPACE = "https://community.example.org/spaces/troubleshooting/"


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library([BUILTIN_DIR])


@pytest.fixture(scope="module")
def sample_items(library: Library) -> list[PlanItem]:
    """The sample plan's items as `planner demo` makes them (ids are ours, not random)."""
    items = [
        item_from_tactic(
            library.tactic(spec.tactic_id),
            plan_id="pl_sample",
            position=i,
            team=spec.team,
            item_id=f"it_{i:02d}",
        )
        for i, spec in enumerate(ITEMS)
    ]
    items.append(custom_item("it_huddles", "huddles-held"))
    return items


def custom_item(item_id: str, *metric_ids: str, cadence: str = "weekly") -> PlanItem:
    metrics = [
        Metric(
            id=m,
            name=m.replace("-", " "),
            unit="things",
            aggregation="sum",
            direction="higher",
            target=10,
            cadence=cadence,
            definition="Count the things that happened during the period.",
            framework="value-immediate",
        )
        for m in metric_ids
    ]
    return PlanItem(
        id=item_id,
        plan_id="pl_test",
        title=f"Item {item_id}",
        duration_weeks=10,
        custom_metrics=metrics,
    )


ITEMS_AB = [custom_item("it_a", "questions", "active"), custom_item("it_b", "posts")]


def load(text: str, items: list[PlanItem] = ITEMS_AB):  # type: ignore[no-untyped-def]
    return load_mapping(text.encode(), items, name="map.yaml")


def problems(text: str, items: list[PlanItem] = ITEMS_AB) -> list[str]:
    with pytest.raises(MappingError) as caught:
        load(text, items)
    return caught.value.problems


# --- the shipped sample ---------------------------------------------------------------------------


def test_the_sample_mapping_fits_the_sample_plan(sample_items: list[PlanItem]) -> None:
    mapping = load_mapping(SAMPLE_MAPPING, sample_items)
    by_tactic = {i.id: i.tactic_id for i in sample_items}
    fed = {(by_tactic[t.item_id], t.metric_id, t.count_people) for _, t in mapping.rules}
    assert fed == {
        ("cop-coalescing-launch", "questions", False),
        ("cop-coalescing-launch", "active-members", True),
        ("community-rhythm-and-welcome", "active-members", True),
        ("ask-an-expert-channel", "questions", False),
    }


def test_the_sample_mapping_covers_the_common_verbs(sample_items: list[PlanItem]) -> None:
    mapping = load_mapping(SAMPLE_MAPPING, sample_items)
    verbs = {v for rule, _ in mapping.rules for v in rule.verbs}
    for verb in ("asked", "answered", "commented", "shared", "attended", "experienced"):
        assert f"http://adlnet.gov/expapi/verbs/{verb}" in verbs
    assert JOIN in verbs
    # The verbs the sample plan has no metric for are shown as commented examples.
    text = SAMPLE_MAPPING.read_text()
    for verb in ("tincanapi.com/verb/mentored", "verbs/completed", "verbs/registered"):
        assert verb in text


def test_one_asked_statement_feeds_questions_and_both_active_member_counts(
    sample_items: list[PlanItem],
) -> None:
    mapping = load_mapping(SAMPLE_MAPPING, sample_items)
    targets = mapping.targets(ASKED, SPACE + "threads/42", None)
    assert [(t.metric_id, t.cadence, t.count_people) for t in targets] == [
        ("questions", "weekly", False),
        ("active-members", "weekly", True),
        ("active-members", "monthly", True),
    ]
    assert mapping.targets(ASKED, "https://community.example.org/spaces/other/1", None) == ()


def test_a_tactic_with_two_items_in_the_plan_is_refused_naming_them(
    sample_items: list[PlanItem],
) -> None:
    text = """
rules:
  - verb: http://adlnet.gov/expapi/verbs/completed
    tactic: manager-learning-goal-conversations
    metric: reports-with-learning-goal
    count: people
"""
    (message,) = problems(text, sample_items)
    twins = [i.id for i in sample_items if i.tactic_id == "manager-learning-goal-conversations"]
    assert len(twins) == 2
    assert message.startswith("map.yaml:4:")
    assert "refused" in message and "write item:" in message
    for item_id in twins:
        assert item_id in message


def test_the_same_rule_by_item_id_is_accepted(sample_items: list[PlanItem]) -> None:
    twin = next(i for i in sample_items if i.tactic_id == "manager-learning-goal-conversations")
    mapping = load(
        f"""
rules:
  - verb: http://adlnet.gov/expapi/verbs/completed
    item: {twin.id}
    metric: reports-with-learning-goal
    count: people
""",
        sample_items,
    )
    (target,) = mapping.targets("http://adlnet.gov/expapi/verbs/completed", None, None)
    assert (target.item_id, target.cadence) == (twin.id, "monthly")


# --- problems, with file and line -----------------------------------------------------------------


def test_unknown_item_tactic_and_metric_are_each_reported_with_their_line() -> None:
    text = """rules:
  - verb: http://adlnet.gov/expapi/verbs/asked
    item: it_nope
    metric: questions
    count: statements
  - verb: http://adlnet.gov/expapi/verbs/asked
    tactic: no-such-tactic
    metric: questions
    count: statements
  - verb: http://adlnet.gov/expapi/verbs/asked
    item: it_b
    metric: questions
    count: statements
"""
    found = problems(text)
    assert len(found) == 3
    assert found[0].startswith("map.yaml:3:") and "no item 'it_nope'" in found[0]
    assert found[1].startswith("map.yaml:7:") and "no item for tactic 'no-such-tactic'" in found[1]
    assert found[2].startswith("map.yaml:12:") and "has no metric 'questions'" in found[2]
    assert "its metrics: posts" in found[2]


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("verb: asked\n    item: it_a", "not a verb IRI"),
        ("verb: [http://x.org/v, nope]\n    item: it_a", "not a verb IRI"),
        ("verb: []\n    item: it_a", "lists no verb"),
        ("activity: troubleshooting/*\n    item: it_a", "not an activity id or pattern"),
        ("activity_type: meeting\n    item: it_a", "not an activity type IRI"),
        ("item: it_a", "matches every statement"),
        ("verb: http://x.org/v\n    item: it_a\n    tactic: t", "either item:"),
        ("verb: http://x.org/v", "either item:"),
        ("verb: http://x.org/v\n    item: it_a\n    colour: red", "is not a mapping field"),
    ],
)
def test_rule_problems(rule: str, expected: str) -> None:
    text = f"rules:\n  - {rule}\n    metric: questions\n    count: statements\n"
    (message,) = problems(text)
    assert expected in message
    assert message.startswith("map.yaml:")


def test_a_missing_count_says_what_to_write() -> None:
    (message,) = problems(
        "rules:\n  - verb: http://x.org/v\n    item: it_a\n    metric: questions\n"
    )
    assert "count" in message and "count: statements or count: people" in message


def test_a_metric_counted_two_ways_is_refused() -> None:
    text = """rules:
  - verb: http://x.org/a
    item: it_a
    metric: active
    count: people
  - verb: http://x.org/b
    item: it_a
    metric: active
    count: statements
"""
    (message,) = problems(text)
    assert message.startswith("map.yaml:9:")
    assert "already counted as people by rule 1" in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "is empty"),
        (b"rules: [\n", "not valid YAML"),
        (b"rules: []\n", "rules"),
        (b"rules: 5\n", "rules: must be a list of rules"),
        (b"- verb: x\n", "must be a mapping with a list of rules under 'rules:'"),
        (b"rules:\n  - 5\n", "rules[0]: must be a mapping of fields"),
        (b"rules:\n  - verb: 5\n", "rules[0].verb: must be a verb IRI or a list of verb IRIs"),
        (b"\xff\xfe r\x00", "not UTF-8"),
        (b"rules:\n  - verb: http://x.org/v\n    verb: http://x.org/w\n", "duplicate key"),
    ],
)
def test_files_that_cannot_be_used(content: bytes, expected: str) -> None:
    with pytest.raises(MappingError) as caught:
        load_mapping(content, ITEMS_AB, name="map.yaml")
    assert expected in str(caught.value)
    assert str(caught.value).startswith("map.yaml")


def test_a_mapping_is_read_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(
        "rules:\n  - verb: http://x.org/v\n    item: it_a\n    metric: foo\n    count: people\n"
    )
    with pytest.raises(MappingError) as caught:
        load_mapping(path, ITEMS_AB)
    assert str(caught.value).startswith(f"{path}:4:")


# --- matching -------------------------------------------------------------------------------------

RULES = """rules:
  - name: questions anywhere in the space
    verb: http://adlnet.gov/expapi/verbs/asked
    activity: https://community.example.org/spaces/troubleshooting/*
    item: it_a
    metric: questions
    count: statements
  - name: anyone doing anything in the space is active
    activity: https://community.example.org/spaces/troubleshooting/*
    item: it_a
    metric: active
    count: people
  - name: again, for the same metric
    verb: [http://adlnet.gov/expapi/verbs/asked, http://adlnet.gov/expapi/verbs/answered]
    item: it_a
    metric: active
    count: people
  - name: posts by type
    activity_type: http://id.tincanapi.com/activitytype/blog
    item: it_b
    metric: posts
    count: statements
  - name: one exact activity
    verb: http://adlnet.gov/expapi/verbs/shared
    activity: https://blog.example.org/post?id=1
    item: it_b
    metric: posts
    count: statements
"""


def test_every_matching_rule_applies_and_each_metric_counts_once() -> None:
    mapping = load(RULES)
    targets = mapping.targets(ASKED, SPACE + "a/b/c", None)
    assert [(t.item_id, t.metric_id) for t in targets] == [
        ("it_a", "questions"),
        ("it_a", "active"),
    ]


def test_a_rule_without_a_verb_matches_any_verb() -> None:
    mapping = load(RULES)
    other = "http://example.org/verbs/reacted"
    assert [t.metric_id for t in mapping.targets(other, SPACE + "x", None)] == ["active"]
    assert [t.metric_id for t in mapping.targets(ANSWERED, SPACE + "x", None)] == ["active"]
    assert [t.metric_id for t in mapping.targets(ANSWERED, None, None)] == ["active"]


def test_activity_type_and_exact_activity_matches() -> None:
    mapping = load(RULES)
    blog = "http://id.tincanapi.com/activitytype/blog"
    viewed = "http://id.tincanapi.com/verb/viewed"
    assert [t.item_id for t in mapping.targets(viewed, "https://x.org/1", blog)] == ["it_b"]
    assert mapping.targets(viewed, "https://x.org/1", "http://x.org/other") == ()
    shared = "http://adlnet.gov/expapi/verbs/shared"
    assert len(mapping.targets(shared, "https://blog.example.org/post?id=1", None)) == 1
    # '?' in an exact id is a literal, not a wildcard, when the id has no '*'.
    assert mapping.targets(shared, "https://blog.example.org/postXid=1", None) == ()
    assert mapping.targets(shared, "https://blog.example.org/post?id=12", None) == ()


def test_activity_globs_need_the_whole_id_to_match() -> None:
    mapping = load(RULES)
    viewed = "http://id.tincanapi.com/verb/viewed"
    assert (
        mapping.targets(viewed, "https://community.example.org/spaces/troubleshooting", None) == ()
    )
    assert mapping.targets(viewed, "x" + SPACE + "1", None) == ()
    assert len(mapping.targets(viewed, SPACE, None)) == 1
