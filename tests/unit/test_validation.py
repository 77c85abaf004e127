"""Every playbook validation error names file, line, column, field, what was found and expected."""

from __future__ import annotations

import textwrap
import time
import tracemalloc
from pathlib import Path

import pytest

from planner.exchange.playbooks import load_library
from planner.exchange.yamlsource import MAX_FILE_BYTES

GOOD_TACTIC = """\
  - id: {id}
    title: Title of {id}
    summary: What {id} does for people.
    category: coaching
    purposes: [orient-technical]
    practices: [pln]
    audiences: [employees]
    owner_role: ld-partner
    effort_hours_per_week: 2
    duration_weeks: 4
    prerequisites: {prereqs}
    steps:
      - {{week: 0, text: "First step of {id}"}}
      - {{week: 1, text: "Second step of {id}"}}
      - {{week: 3, text: "Third step of {id}"}}
    metrics:
      - id: participants
        name: Participants
        unit: people
        aggregation: sum
        direction: higher
        target: 10
        cadence: weekly
        definition: Count the people who took part during the week.
        framework: kirkpatrick-1
    references:
      - title: A book
"""


def tactic(tid: str, prereqs: str = "[]") -> str:
    return GOOD_TACTIC.format(id=tid, prereqs=prereqs)


def write(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path


def playbook(*tactics: str) -> str:
    return "title: Test playbook\ntactics:\n" + "".join(tactics)


def messages(folder: Path) -> list[str]:
    return [str(p) for p in load_library([folder]).problems]


def test_valid_file_loads(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", playbook(tactic("alpha"), tactic("beta", "[alpha]")))
    lib = load_library([tmp_path])
    assert lib.problems == []
    assert list(lib.tactics) == ["alpha", "beta"]
    assert lib.sources["beta"].line == 30


def test_unknown_field_is_named_with_a_suggestion(tmp_path: Path) -> None:
    body = playbook(tactic("alpha").replace("    metrics:", "    metircs:"))
    path = write(tmp_path, "a.yaml", body)
    found = messages(tmp_path)
    line = body.splitlines().index("    metircs:") + 1
    assert f"{path}:{line}:5: tactics[0].metircs: unknown field 'metircs'" in "\n".join(found)
    assert any("did you mean 'metrics'?" in m for m in found)
    # the missing required field is reported too, in the same pass
    assert any("tactics[0].metrics: missing required field 'metrics'" in m for m in found)


def test_wrong_type_says_found_and_expected(tmp_path: Path) -> None:
    body = playbook(tactic("alpha").replace("duration_weeks: 4", "duration_weeks: four"))
    path = write(tmp_path, "a.yaml", body)
    line = next(i for i, t in enumerate(body.splitlines(), 1) if "duration_weeks" in t)
    assert messages(tmp_path) == [
        f"{path}:{line}:21: tactics[0].duration_weeks: found 'four' (text), expected a whole number"
    ]


def test_quoted_number_is_not_coerced(tmp_path: Path) -> None:
    body = playbook(
        tactic("alpha").replace("effort_hours_per_week: 2", 'effort_hours_per_week: "2"')
    )
    write(tmp_path, "a.yaml", body)
    (msg,) = messages(tmp_path)
    assert "effort_hours_per_week: found '2' (text), expected a number" in msg


def test_all_errors_of_a_file_come_at_once(tmp_path: Path) -> None:
    one = tactic("alpha").replace("category: coaching", "category: coachin")
    two = tactic("beta").replace("steps:", "stepz:")
    three = tactic("Gamma Ray")
    write(tmp_path, "a.yaml", playbook(one, two, three))
    found = "\n".join(messages(tmp_path))
    assert "tactics[0].category: unknown category id 'coachin' (did you mean 'coaching'?)" in found
    assert "tactics[1].stepz: unknown field" in found
    assert "tactics[2].id: found 'Gamma Ray' (text), expected an id of lowercase" in found


def test_a_broken_tactic_leaves_its_siblings_loaded(tmp_path: Path) -> None:
    bad = tactic("alpha").replace("owner_role: ld-partner", "owner_role: [ld-partner]")
    write(tmp_path, "a.yaml", playbook(bad, tactic("beta")))
    lib = load_library([tmp_path])
    assert list(lib.tactics) == ["beta"]
    assert "owner_role: found a list, expected text" in str(lib.problems[0])


def test_duplicate_ids_within_a_folder(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", playbook(tactic("alpha")))
    b = write(tmp_path, "b.yaml", playbook(tactic("alpha")))
    (msg,) = messages(tmp_path)
    assert msg.startswith(f"{b}:3:9: tactics[0].id: duplicate tactic id 'alpha'; already defined")
    assert "a.yaml:3" in msg


def test_duplicate_yaml_keys_are_reported(tmp_path: Path) -> None:
    body = playbook(tactic("alpha").replace("    summary:", "    title: Again\n    summary:"))
    write(tmp_path, "a.yaml", body)
    (msg,) = messages(tmp_path)
    assert "tactics[0].title: duplicate key 'title'; it is already set on line 4" in msg


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("purposes: [orient-technical]", "purposes: [orient-tech]", "unknown purpose id"),
        ("practices: [pln]", "practices: [plm]", "unknown practice id 'plm' (did you mean 'pln'?)"),
        ("audiences: [employees]", "audiences: [aliens]", "unknown audience id 'aliens'"),
        ("owner_role: ld-partner", "owner_role: wizard", "unknown owner role id 'wizard'"),
        ("cadence: weekly", "cadence: hourly", "unknown cadence id 'hourly'"),
        ("framework: kirkpatrick-1", "framework: kirk", "unknown framework id 'kirk'"),
        ("aggregation: sum", "aggregation: median", "unknown aggregation id 'median'"),
        ("direction: higher", "direction: up", "unknown direction id 'up'"),
    ],
)
def test_unknown_taxonomy_ids(tmp_path: Path, old: str, new: str, expected: str) -> None:
    write(tmp_path, "a.yaml", playbook(tactic("alpha").replace(old, new)))
    (msg,) = messages(tmp_path)
    assert expected in msg
    assert ":" in msg.split(" ")[0]  # file:line:col


def test_missing_prerequisite(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", playbook(tactic("alpha", "[alpah]"), tactic("beta")))
    lib = load_library([tmp_path])
    (msg,) = map(str, lib.problems)
    assert "prerequisites[0]: prerequisite 'alpah' is not a tactic in the library" in msg
    assert list(lib.tactics) == ["beta"]


def test_prerequisite_cycle_is_named(tmp_path: Path) -> None:
    write(
        tmp_path,
        "a.yaml",
        playbook(tactic("alpha", "[gamma]"), tactic("beta", "[alpha]"), tactic("gamma", "[beta]")),
    )
    lib = load_library([tmp_path])
    (msg,) = map(str, lib.problems)
    assert "prerequisites form a cycle: alpha -> gamma -> beta -> alpha" in msg
    assert lib.tactics == {}


def test_step_after_the_tactic_ends(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", playbook(tactic("alpha").replace("week: 3,", "week: 4,")))
    (msg,) = messages(tmp_path)
    assert "steps[2].week: found week 4, expected a week before the tactic ends (0 to 3" in msg


def test_yaml_syntax_error_has_position(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", "title: x\ntactics:\n  - id: [unclosed\n")
    (msg,) = messages(tmp_path)
    assert msg.startswith(f"{path}:4:1: is not valid YAML")


def test_oversized_file_is_refused_unread(tmp_path: Path) -> None:
    path = write(tmp_path, "big.yaml", "# " + "x" * (MAX_FILE_BYTES + 10) + "\n")
    (msg,) = messages(tmp_path)
    assert msg.startswith(f"{path}: refused: the file is 2.0 MB, over the 2 MB limit")


def test_alias_bomb_is_refused_quickly_without_echoing(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, cur in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    lines.append("title: *i")
    write(tmp_path, "bomb.yaml", "\n".join(lines) + "\n")
    tracemalloc.start()
    started = time.perf_counter()
    found = messages(tmp_path)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    (msg,) = found
    assert "an alias bomb?" in msg
    assert "lol" not in msg and len(msg) < 400
    assert peak < 200 * 1024 * 1024
    assert elapsed < 60  # a guard against hanging, not a speed test


def test_user_taxonomy_adds_entries(tmp_path: Path) -> None:
    write(
        tmp_path,
        "taxonomy.yaml",
        "audiences:\n  - {id: contractors, title: Contractors, description: Outside staff.}\n",
    )
    write(
        tmp_path,
        "a.yaml",
        playbook(tactic("alpha").replace("audiences: [employees]", "audiences: [contractors]")),
    )
    lib = load_library([tmp_path])
    assert lib.problems == []
    assert "contractors" in lib.taxonomy.ids("audiences")
    assert "employees" in lib.taxonomy.ids("audiences")  # never removed


def test_later_folder_overrides_by_id(tmp_path: Path) -> None:
    first = write(tmp_path / "one", "a.yaml", playbook(tactic("alpha"), tactic("beta")))
    second = write(
        tmp_path / "two", "b.yaml", playbook(tactic("alpha").replace("Title of alpha", "Mine"))
    )
    lib = load_library([tmp_path / "one", tmp_path / "two"])
    assert lib.problems == []
    assert lib.tactics["alpha"].title == "Mine"
    (override,) = lib.overrides
    assert str(override) == f"tactic 'alpha' from {first}:3 is overridden by {second}:3"


def test_missing_folder_is_a_problem(tmp_path: Path) -> None:
    (msg,) = messages(tmp_path / "nope")
    assert "does not exist" in msg


def test_reserved_health_metric_must_match_taxonomy(tmp_path: Path) -> None:
    body = tactic("alpha").replace("id: participants", "id: median-hours-to-first-response")
    write(tmp_path, "a.yaml", playbook(body))
    found = messages(tmp_path)
    assert any("aggregation: found 'sum', expected 'latest'" in m for m in found)
    assert any("direction: found 'higher', expected 'lower'" in m for m in found)


def test_answered_in_time_needs_response_hours(tmp_path: Path) -> None:
    body = tactic("alpha").replace("id: participants", "id: questions-answered-in-time")
    body = body.replace("unit: people", "unit: percent\n        denominator_metric: questions")
    body = body.replace("target: 10", "target: 80\n        denominator: questions asked")
    write(tmp_path, "a.yaml", playbook(body))
    (msg,) = messages(tmp_path)
    assert "metrics[0].response_hours: missing 'response_hours'" in msg


def test_file_level_fields(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", textwrap.dedent("tactics: []\nextra: 1\n"))
    found = "\n".join(messages(tmp_path))
    assert "missing required field 'title'" in found
    assert "unknown field 'extra'" in found
    assert "tactics: found 0 entries, expected at least 1" in found
