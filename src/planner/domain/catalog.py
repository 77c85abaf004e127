"""Finding tactics: free-text search, filters and coverage counts over a Library (pure logic)."""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice, product

from rapidfuzz import fuzz, process

from planner.domain.library import Library
from planner.domain.playbook import Tactic

DURATION_BANDS: tuple[tuple[str, int, int], ...] = (
    ("up to 6 weeks", 0, 6),
    ("7 to 13 weeks", 7, 13),
    ("over a quarter", 14, 10_000),
)


def duration_band(weeks: int) -> str:
    for label, low, high in DURATION_BANDS:
        if low <= weeks <= high:
            return label
    return DURATION_BANDS[-1][0]


@dataclass(frozen=True)
class TacticFilter:
    """What the user asked for; empty sets mean 'any'."""

    text: str = ""
    categories: frozenset[str] = field(default_factory=frozenset)
    purposes: frozenset[str] = field(default_factory=frozenset)
    practices: frozenset[str] = field(default_factory=frozenset)
    audiences: frozenset[str] = field(default_factory=frozenset)
    efforts: frozenset[str] = field(default_factory=frozenset)
    durations: frozenset[str] = field(default_factory=frozenset)


def passes_filters(t: Tactic, f: TacticFilter) -> bool:
    """Every filter but the text (which the SearchIndex answers)."""
    if f.categories and t.category not in f.categories:
        return False
    if f.purposes and not f.purposes.intersection(t.purposes):
        return False
    if f.practices and not f.practices.intersection(t.practices):
        return False
    if f.audiences and not f.audiences.intersection(t.audiences):
        return False
    if f.efforts and t.effort not in f.efforts:
        return False
    return not (f.durations and duration_band(t.duration_weeks) not in f.durations)


# --- free-text search -----------------------------------------------------------------------
#
# Words in any order, each matched against the tactic's title, summary, steps and the titles of
# the purposes, practices and category it is tagged with. A query word matches a library word
# that is the same after light stemming ("communities" = "community"), that it begins (3+ letters:
# "mentor" finds "mentoring"), or, failing an exact word, that is close in spelling (rapidfuzz,
# 4+ letters: "communty" finds "community"). A tactic must match every word but the small ones
# ("of", "the"); it scores by where each word matched (title > tags > summary > steps) and how
# well, plus a bonus for the whole phrase, and the list is ranked best first.

FIELD_WEIGHTS: dict[str, float] = {"title": 4.0, "tags": 3.0, "summary": 2.0, "steps": 1.0}
EXACT, PREFIX, FUZZY = 1.0, 0.8, 0.7
"""How much a match of each kind is worth (a fuzzy match also scales by its similarity)."""
MIN_PREFIX, MIN_FUZZY = 3, 4
"""The shortest query words completed as a prefix, or matched by spelling."""
MAX_FUZZY = 3
"""Library words a misspelt query word may stand for."""
PHRASE_BONUS = 2.0
MAX_FILTER_SUGGESTIONS = 6

_SMALL_WORDS = "a an and are as at be by for from how in into is it its of on or our the their them this to what who with your"  # noqa: E501
STOPWORDS: frozenset[str] = frozenset(_SMALL_WORDS.split(" "))
_ENDINGS = ("ing", "ed", "er", "ly")
_KIND_LABELS = {"categories": "Category", "purposes": "Purpose", "practices": "Practice"}
_WORD = re.compile(r"[^\W_]+")


def stem(word: str) -> str:
    """A light plural stemmer, enough to make "communities" and "community" one word."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


@dataclass(frozen=True)
class TagEntry:
    """A purpose, practice or category a user may filter by, and its title's word stems."""

    kind: str
    entry_id: str
    title: str
    stems: frozenset[str]

    @property
    def label(self) -> str:
        return f"{_KIND_LABELS[self.kind]}: {self.title}"


@dataclass(frozen=True)
class SearchIndex:
    """An inverted index of a library's words; build once per library (`build_index`)."""

    tactic_ids: tuple[str, ...]
    postings: dict[str, dict[int, float]]
    """Word stem -> tactic position -> weight of the best field it occurs in."""
    vocabulary: tuple[str, ...]
    """Every stem, sorted (for prefix look-ups and spelling matches)."""
    spelling: dict[str, str]
    """Stem -> the way it is most often written in the library (what "did you mean" shows)."""
    phrases: tuple[str, ...]
    """Per tactic: title, summary and tag titles as word stems joined by one space."""
    tags: tuple[TagEntry, ...]


def build_index(library: Library) -> SearchIndex:
    tax = library.taxonomy
    tag_titles = {kind: {e.id: str(e.title) for e in getattr(tax, kind)} for kind in _KIND_LABELS}
    ids = tuple(library.tactics)
    postings: dict[str, dict[int, float]] = {}
    written: dict[str, dict[str, int]] = {}
    phrases: list[str] = []
    for k, t in enumerate(library.tactics.values()):
        tags = [
            tag_titles["categories"].get(t.category, t.category),
            *(tag_titles["purposes"].get(p, p) for p in t.purposes),
            *(tag_titles["practices"].get(p, p) for p in t.practices),
        ]
        fields = {
            "title": t.title,
            "tags": " \n ".join(tags),
            "summary": t.summary,
            "steps": " \n ".join([t.id.replace("-", " "), *(s.text for s in t.steps)]),
        }
        for name, text in fields.items():
            weight = FIELD_WEIGHTS[name]
            for word in words(text):
                s = stem(word)
                posting = postings.setdefault(s, {})
                if posting.get(k, 0.0) < weight:
                    posting[k] = weight
                counts = written.setdefault(s, {})
                counts[word] = counts.get(word, 0) + 1
        phrases.append(" ".join(stem(w) for w in words(" | ".join([t.title, t.summary, *tags]))))
    tags_out = tuple(
        TagEntry(kind, e.id, str(e.title), frozenset(stem(w) for w in _content(words(e.title))))
        for kind in _KIND_LABELS
        for e in getattr(tax, kind)
    )
    return SearchIndex(
        tactic_ids=ids,
        postings=postings,
        vocabulary=tuple(sorted(postings)),
        spelling={s: max(c, key=lambda w: (c[w], w == s)) for s, c in written.items()},
        phrases=tuple(phrases),
        tags=tags_out,
    )


def _content(query_words: list[str]) -> list[str]:
    """The words that must match: all but the small ones, unless there is nothing else."""
    kept = [w for w in query_words if w not in STOPWORDS]
    return kept or query_words


@dataclass(frozen=True)
class _Term:
    word: str
    matches: dict[str, float]
    """Library stem -> how well it matches (EXACT, PREFIX, or FUZZY x similarity)."""
    exact: bool
    fuzzy: tuple[tuple[str, float], ...]
    """Spelling candidates, best first, when the word is not itself in the library."""


def _expand(index: SearchIndex, word: str) -> _Term:
    s = stem(word)
    found: dict[str, float] = {}
    exact = s in index.postings
    if exact:
        found[s] = EXACT
    if len(s) >= MIN_PREFIX:
        vocab = index.vocabulary
        at = bisect_left(vocab, s)
        while at < len(vocab) and vocab[at].startswith(s):
            found.setdefault(vocab[at], PREFIX)
            at += 1
        # and the word without a common ending: "onboarding" finds "onboard"
        for ending in _ENDINGS:
            root = s[: -len(ending)]
            if s.endswith(ending) and len(root) >= MIN_FUZZY:
                for base in (root, root + "e"):
                    if base in index.postings:
                        found.setdefault(base, PREFIX)
    fuzzy: list[tuple[str, float]] = []
    if not exact and len(s) >= MIN_FUZZY:
        cutoff = 80.0 if len(s) <= 5 else 75.0
        for candidate, score, _ in process.extract(
            s, index.vocabulary, scorer=fuzz.ratio, score_cutoff=cutoff, limit=MAX_FUZZY
        ):
            fuzzy.append((candidate, score))
            found[candidate] = max(found.get(candidate, 0.0), FUZZY * score / 100)
    return _Term(word, found, exact, tuple(fuzzy))


def _scores(index: SearchIndex, terms: list[_Term]) -> dict[int, float]:
    """Tactic position -> score, for the tactics matching every term."""
    total: dict[int, float] | None = None
    for term in terms:
        best: dict[int, float] = {}
        for stem_, quality in term.matches.items():
            for k, weight in index.postings[stem_].items():
                value = weight * quality
                if value > best.get(k, 0.0):
                    best[k] = value
        total = best if total is None else {k: v + best[k] for k, v in total.items() if k in best}
        if not total:
            return {}
    return total or {}


def _did_you_mean(index: SearchIndex, query_words: list[str], terms: list[_Term]) -> str | None:
    """The query with misspelt words replaced by the library words that find the most tactics."""
    by_word = {t.word: t for t in terms}
    options: list[list[tuple[str, str, float]]] = []  # per query word: (shown, stem, score)
    changed = False
    for word in query_words:
        term = by_word.get(word)
        if term is None or term.exact or not term.fuzzy:
            options.append([(word, stem(word) if term else "", 100.0)])
            continue
        changed = True
        options.append([(index.spelling[c], c, score) for c, score in term.fuzzy])
    if not changed:
        return None
    # Best first: a spelling that finds something; for several words, one that names a purpose,
    # practice or category ("community of practice", not "community of practise"); then the
    # closest spelling, a little helped by how many tactics it finds.
    best: tuple[bool, bool, float, tuple[str, ...]] | None = None
    for combo in islice(product(*options), 81):
        stems = {s for _, s, _ in combo if s and s in index.postings}
        found: set[int] | None = None
        for s in stems:
            posted = set(index.postings[s])
            found = posted if found is None else found & posted
        count = len(found or ())
        names_tag = len(stems) > 1 and any(stems <= e.stems for e in index.tags)
        closeness = sum(score for _, _, score in combo) + 10 * math.log10(1 + count)
        key = (count > 0, names_tag, closeness, tuple(w for w, _, _ in combo))
        if best is None or key[:3] > best[:3]:
            best = key
    assert best is not None
    suggestion = " ".join(best[3])
    return None if suggestion == " ".join(query_words) else suggestion


def _suggest_filters(
    index: SearchIndex, terms: list[_Term], f: TacticFilter, *, strong_only: bool
) -> list[TagEntry]:
    chosen = {"categories": f.categories, "purposes": f.purposes, "practices": f.practices}
    ranked: list[tuple[float, str, TagEntry]] = []
    for entry in index.tags:
        if entry.entry_id in chosen[entry.kind] or entry.stems.isdisjoint(index.postings):
            continue
        hit = sum(1 for t in terms if any(s in entry.stems for s in t.matches))
        if hit == 0 or (strong_only and hit < len(terms)):
            continue
        ranked.append((-hit / len(terms) - hit / (10 * len(entry.stems)), entry.title, entry))
    ranked.sort(key=lambda r: r[:2])
    return [entry for _, _, entry in ranked[:MAX_FILTER_SUGGESTIONS]]


@dataclass(frozen=True)
class SearchResult:
    tactics: list[Tactic]
    """Best first (by score, then title); every tactic passing the filters when no text."""
    did_you_mean: str | None = None
    """The query spelt with library words, when some of its words are not in the library."""
    filters: tuple[TagEntry, ...] = ()
    """Purposes, practices or categories named by the query, to filter by in one click: those
    naming every word; when nothing matches, any that names one of them."""


def find(library: Library, f: TacticFilter, index: SearchIndex | None = None) -> SearchResult:
    """Tactics passing the filters and matching the text, ranked, with spelling and filter hints.

    `index` must be `build_index(library)`; pass it in to avoid re-building it on every call.
    """
    tactics = list(library.tactics.values())
    query_words = words(f.text)
    if not query_words:
        found = [t for t in tactics if passes_filters(t, f)]
        return SearchResult(found)
    if index is None or index.tactic_ids != tuple(library.tactics):
        index = build_index(library)
    content = list(dict.fromkeys(_content(query_words)))
    terms = [_expand(index, w) for w in content]
    scores = _scores(index, terms)
    phrase = " ".join(stem(w) for w in query_words)
    ranked: list[tuple[float, str, Tactic]] = []
    for k, score in scores.items():
        t = tactics[k]
        if not passes_filters(t, f):
            continue
        if len(query_words) > 1 and phrase in index.phrases[k]:
            score += PHRASE_BONUS
        ranked.append((-score, t.title.lower(), t))
    ranked.sort(key=lambda r: r[:2])
    found = [t for _, _, t in ranked]
    return SearchResult(
        found,
        did_you_mean=_did_you_mean(index, query_words, terms),
        filters=tuple(_suggest_filters(index, terms, f, strong_only=bool(found))),
    )


def search(library: Library, f: TacticFilter, index: SearchIndex | None = None) -> list[Tactic]:
    """Tactics matching every filter and the text, best first (see `find`)."""
    return find(library, f, index).tactics


def coverage(
    tactics: Iterable[Tactic], library: Library, axis: str
) -> tuple[list[str], list[str], list[list[int]]]:
    """Counts of tactics per (purpose or practice) x category, with taxonomy titles as labels.

    Returns (row labels, column labels, counts) with every taxonomy entry present, so gaps show.
    """
    tax = library.taxonomy
    row_entries = tax.purposes if axis == "purposes" else tax.practices
    rows = [e.id for e in row_entries]
    cols = [e.id for e in tax.categories]
    counts = {(r, c): 0 for r in rows for c in cols}
    for t in tactics:
        for r in getattr(t, axis):
            if (r, t.category) in counts:
                counts[(r, t.category)] += 1
    matrix = [[counts[(r, c)] for c in cols] for r in rows]
    return [e.title for e in row_entries], [e.title for e in tax.categories], matrix
