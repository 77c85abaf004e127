"""Labels that tell items apart when two of them share a title.

A plan may hold the same tactic twice (peer circles for Tier 1 and for Tier 2), so a title alone
does not say which item a row is about. `item_labels` gives every item id one label, used
wherever items are listed together (the Review page, the comparison of two reviews):

- a title no other listed item has is the label as it is;
- titles shared (ignoring case and surrounding spaces) get, in brackets, the first of the
  item's audience, team and owner that differs between all of them: "Peer circles (Tier 2)";
- when no single one does, all three that are set, joined: "Peer circles (Tier 2 · Maya)";
- when even that does not tell them apart (or they are not set), a number in the order listed:
  "Peer circles (1)", "Peer circles (2)".

Items no longer in the plan (listed in an old review's snapshot only) have no audience, team or
owner here: they are told apart by number.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from planner.domain.planning import Person, PlanItem

__all__ = ["distinct_labels", "item_labels"]


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _distinct(values: Sequence[str]) -> bool:
    keys = [_key(v) for v in values]
    return all(keys) and len(set(keys)) == len(keys)


def distinct_labels(entries: Iterable[tuple[str, str, Sequence[str]]]) -> dict[str, str]:
    """{id: label} for (id, title, hints) entries, in the order given: hints are the texts that
    may tell items with the same title apart, in order of preference (see the module
    docstring). An id listed twice keeps its first entry."""
    first: dict[str, tuple[str, Sequence[str]]] = {}
    for entry_id, title, hints in entries:
        first.setdefault(entry_id, (title.strip(), tuple(h.strip() for h in hints)))
    groups: dict[str, list[str]] = {}
    for entry_id, (title, _) in first.items():
        groups.setdefault(_key(title), []).append(entry_id)
    labels: dict[str, str] = {}
    for ids in groups.values():
        if len(ids) == 1:
            labels[ids[0]] = first[ids[0]][0]
            continue
        options = [first[i][1] for i in ids]
        width = max(len(h) for h in options)
        suffixes: list[str] | None = None
        for k in range(width):
            column = [h[k] if k < len(h) else "" for h in options]
            if _distinct(column):
                suffixes = column
                break
        if suffixes is None:
            joined = [" · ".join(x for x in h if x) for h in options]
            suffixes = joined if _distinct(joined) else [str(n) for n in range(1, len(ids) + 1)]
        for entry_id, suffix in zip(ids, suffixes, strict=True):
            labels[entry_id] = f"{first[entry_id][0]} ({suffix})"
    return labels


def item_labels(
    items: Iterable[PlanItem],
    people: Iterable[Person] = (),
    *,
    listed: Iterable[tuple[str, str]] | None = None,
) -> dict[str, str]:
    """{item id: label} for the plan's items (`items`, in plan order) or, with `listed`, for
    those (item id, title) pairs, in that order (e.g. the titles in an old review's snapshot):
    their audience, team and owner come from the plan's item with that id, when there is one."""
    names = {p.id: p.name for p in people}
    by_id = {i.id: i for i in items}
    pairs = [(i.id, i.title) for i in by_id.values()] if listed is None else list(listed)
    entries: list[tuple[str, str, Sequence[str]]] = []
    for item_id, title in pairs:
        item = by_id.get(item_id)
        hints = (item.audience, item.team, names.get(item.owner_id or "", "")) if item else ()
        entries.append((item_id, title, hints))
    return distinct_labels(entries)
