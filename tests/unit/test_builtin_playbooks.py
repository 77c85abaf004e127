"""The built-in playbooks validate and meet the coverage rules a practitioner relies on."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from planner.exchange.playbooks import BUILTIN_DIR, Library, load_library, playbook_files


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library([BUILTIN_DIR])


def test_builtins_validate(library: Library) -> None:
    assert [str(p) for p in library.problems] == []
    assert library.overrides == []


def test_at_least_30_tactics_in_5_themed_files(library: Library) -> None:
    assert len(library.tactics) >= 30
    files = {s.path for s in library.sources.values()}
    assert len(files) >= 5
    assert len(playbook_files(BUILTIN_DIR)) == len(files)


def test_files_point_editors_at_the_schema() -> None:
    for path in [*playbook_files(BUILTIN_DIR), BUILTIN_DIR / "taxonomy.yaml"]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=./schema/"), path
        schema = first.split("=", 1)[1]
        assert (BUILTIN_DIR / schema).is_file()


def test_every_practice_is_served(library: Library) -> None:
    served = Counter(p for t in library.tactics.values() for p in set(t.practices))
    missing = library.taxonomy.ids("practices") - set(served)
    assert not missing
    assert served["pln"] >= 3


def test_every_purpose_is_served_twice(library: Library) -> None:
    served = Counter(p for t in library.tactics.values() for p in set(t.purposes))
    thin = {p: served[p] for p in library.taxonomy.ids("purposes") if served[p] < 2}
    assert not thin


def test_one_community_tactic_per_stage_with_health_metrics(library: Library) -> None:
    health = library.taxonomy.ids("health_metrics")
    by_stage: dict[str, list[str]] = {}
    for t in library.tactics.values():
        if t.stage:
            assert "communities-of-practice" in t.practices, t.id
            by_stage.setdefault(t.stage, []).append(t.id)
            assert health & {m.id for m in t.metrics}, f"{t.id} has no community-health metric"
    assert set(by_stage) == library.taxonomy.ids("stages")
    assert all(len(ids) == 1 for ids in by_stage.values()), by_stage
    assert len(library.taxonomy.ids("stages")) == 5


def test_every_tactic_is_complete(library: Library) -> None:
    for t in library.tactics.values():
        assert len(t.steps) >= 3 and t.metrics and t.references, t.id
        assert t.effort_hours_per_week > 0 and t.duration_weeks >= 1, t.id
        for m in t.metrics:
            assert m.definition.count(" ") >= 5 and m.definition.rstrip().endswith("."), m


def test_no_step_text_is_repeated(library: Library) -> None:
    texts = Counter(
        " ".join(s.text.lower().split()) for t in library.tactics.values() for s in t.steps
    )
    assert [text for text, n in texts.items() if n > 1] == []


def test_all_effort_bands_occur(library: Library) -> None:
    assert {t.effort for t in library.tactics.values()} == {"light", "medium", "heavy"}


def test_taxonomy_has_the_required_vocabulary(library: Library) -> None:
    tax = library.taxonomy
    assert tax.ids("purposes") == {
        "orient-technical", "onboard-culture", "expand-scope", "build-proficiency",
        "undocumented-challenges", "update-skills", "next-job", "ongoing-initiatives",
    }  # fmt: skip
    assert {"set-expectations", "pln", "communities-of-practice", "job-aids"} <= tax.ids(
        "practices"
    )
    assert tax.ids("cadences") == {"weekly", "monthly", "quarterly", "once", "end"}
    assert tax.ids("aggregations") == {"sum", "latest", "average"}
    assert tax.ids("health_metrics") == {
        "members", "active-members", "contributors", "questions",
        "questions-answered-in-time", "median-hours-to-first-response",
    }  # fmt: skip
    assert {f"kirkpatrick-{i}" for i in range(1, 6)} <= tax.ids("frameworks")
    assert "community-health" in tax.ids("frameworks")
    for stage in tax.stages:
        assert len(stage.checklist) >= 2


def test_every_file_is_small(library: Library) -> None:
    for path in playbook_files(BUILTIN_DIR):
        assert Path(path).stat().st_size < 200 * 1024
