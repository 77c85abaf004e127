"""`planner.domain.privacy.Scrubber`: what erasing a person rewrites, without a database."""

from __future__ import annotations

from planner.domain.privacy import ERASED, Scrubber


def test_names_and_emails_are_replaced_as_whole_words_ignoring_case() -> None:
    scrub = Scrubber(["Ana Lima", "ana@example.org", " ", ""])
    assert scrub.text("Met ANA LIMA and ana@example.org.") == f"Met {ERASED} and {ERASED}."
    # Part of a longer word is not a mention.
    assert scrub.text("Ana Limas and xana@example.org") == "Ana Limas and xana@example.org"


def test_a_who_column_is_erased_whole_when_it_is_the_person() -> None:
    scrub = Scrubber(["Ana Lima"])
    assert scrub.who("  ana lima ") == ERASED
    assert scrub.who("Ana Lima (lead)") == f"{ERASED} (lead)"
    assert scrub.who("Ben") == "Ben"


def test_json_values_are_rewritten_all_the_way_down() -> None:
    scrub = Scrubber(["Ana"])
    value = {"owner": "Ana", "notes": ["ask Ana", {"by": "Ana"}], "count": 3, "none": None}
    assert scrub.deep(value) == {
        "owner": ERASED,
        "notes": [f"ask {ERASED}", {"by": ERASED}],
        "count": 3,
        "none": None,
    }


def test_longer_names_win_over_their_prefixes() -> None:
    scrub = Scrubber(["Ana", "Ana Lima"])
    assert scrub.text("Ana Lima said") == f"{ERASED} said"
    assert scrub.words == ["Ana", "Ana Lima", "ana", "ana lima"]
