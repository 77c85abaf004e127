"""Microsoft 365 exports: Teams user activity detail (row by row, and a fast path over
blocks of rows), Viva Engage activity user detail and groups activity detail.

Formulas: `planner.exchange.community.formats`. Imports the reader, blocks, records and
counting.
"""

from __future__ import annotations

from planner.exchange.community.blocks import Judged, Unsure, blocks, distinct
from planner.exchange.community.counting import (
    MICROSOFT_WINDOW,
    People,
    StatedWindow,
    one_community_export,
    opted_out_row,
    require_rows,
)
from planner.exchange.community.reader import (
    Cells,
    Rows,
    Window,
)
from planner.exchange.community.records import (
    Community,
    CommunityExport,
    Context,
    Format,
)

# --- Microsoft Teams user activity detail ------------------------------------------------------


def _teams(rows: Rows, ctx: Context) -> CommunityExport:
    cells, people = Cells(rows), People()
    stated = StatedWindow(rows, cells, ctx)
    upn = rows.column("User Principal Name")
    deleted = rows.column("Is Deleted")
    last = rows.column("Last Activity Date")
    # Team Chat Message Count is every channel message, posts and replies included (Graph's
    # definition), so Post Messages and Reply Messages add nobody.
    posted = rows.column("Team Chat Message Count")
    positive, flag, within, opted_out = cells.positive, cells.flag, cells.within, ctx.opted_out
    count = members = active = contributors = left_out = 0  # locals: the loop runs per person
    refresh_k, period_k = stated.refresh_k, stated.period_k
    texts: tuple[str, str] | None = None
    seen: dict[str, bool] = {}  # Last Activity Date text -> inside the window
    for record in rows:
        count += 1
        if texts is None or record[refresh_k] != texts[0] or record[period_k] != texts[1]:
            window = stated(record)
            texts = (record[refresh_k], record[period_k])
        gone = record[deleted]
        if gone != "False" and (gone == "True" or flag(record, deleted)):
            continue
        if opted_out is not None and (who := record[upn].strip()) and opted_out(who):
            left_out += 1
            continue
        members += 1
        day = record[last]
        hit = seen.get(day)
        if hit is None:
            hit = seen[day] = within(record, last, window)
        active += hit
        wrote = record[posted]
        if wrote != "0" and wrote != "":
            # a plain number is read here; anything else goes through the checked reader
            contributors += (
                int(wrote) > 0 if wrote.isascii() and wrote.isdigit() else positive(record, posted)
            )
    people.rows, people.members, people.active = count, members, active
    people.contributors, people.opted_out = contributors, left_out
    require_rows(rows, people)
    return one_community_export(TEAMS, ctx, window, MICROSOFT_WINDOW, people)


def _teams_in_blocks(rows: Rows, ctx: Context) -> CommunityExport:
    """`_teams`, column-wise over blocks of rows parsed by pyarrow (`blocks`): the same
    figures, or Unsure (or the first CommunityFormatError met, whose row may not be the
    first bad one) and the caller reads the file row by row. Each distinct text of a date,
    flag or count column is judged once, by the same cell readers `_teams` uses."""
    import numpy as np

    cells = Cells(rows)
    stated = StatedWindow(rows, cells, ctx)
    refresh_k, period_k = stated.refresh_k, stated.period_k
    upn = rows.column("User Principal Name")
    deleted = rows.column("Is Deleted")
    last = rows.column("Last Activity Date")
    posted = rows.column("Team Chat Message Count")  # see _teams
    width, opted_out = len(rows.header), ctx.opted_out
    flags = getattr(opted_out, "flags", None)
    people = People()
    window: Window | None = None
    lines = [0]

    def progress(read: int) -> None:
        before, lines[0] = lines[0], lines[0] + read
        if rows.on_progress is not None:
            every = rows.PROGRESS_EVERY
            for n in range((before // every + 1) * every, lines[0] + 1, every):
                rows.on_progress(n)

    def is_gone(text: str) -> bool:
        return text != "False" and (text == "True" or cells.flag([text], 0))

    def within(text: str) -> bool:
        assert window is not None
        return cells.within([text], 0, window)

    def wrote(text: str) -> bool:
        if text == "0" or text == "":
            return False
        return int(text) > 0 if text.isascii() and text.isdigit() else cells.positive([text], 0)

    judged: dict[int, Judged] = {k: Judged(f) for k, f in ((deleted, is_gone), (last, within))}
    judged[posted] = Judged(wrote)
    whole = {0, refresh_k, period_k, deleted, last, posted}
    columns = (*whole, upn)
    for table in blocks(rows.stream, width, columns, dictionary=whole, on_rows=progress):
        if table.num_rows == 0:
            continue
        if any(not text.strip() for text in distinct(table.column("0"))):
            raise Unsure("a row that may be blank")
        if window is None:
            record = [""] * width
            for k in (refresh_k, period_k):
                record[k] = table.column(str(k))[0].as_py()
            window = stated(record)
            texts = [[record[refresh_k]], [record[period_k]]]
        if [distinct(table.column(str(k))) for k in (refresh_k, period_k)] != texts:
            raise Unsure("rows that state their window in other words")
        people.rows += table.num_rows
        member = ~judged[deleted](table.column(str(deleted)))
        if opted_out is not None:
            identifiers = table.column(str(upn)).filter(member).to_pylist()
            out = np.array(
                flags(identifiers)
                if flags is not None
                else [bool(i.strip()) and opted_out(i.strip()) for i in identifiers],
                dtype=bool,
            )
            people.opted_out += int(out.sum())
            member[member] = ~out
        people.members += int(member.sum())
        people.active += int((judged[last](table.column(str(last))) & member).sum())
        people.contributors += int((judged[posted](table.column(str(posted))) & member).sum())
    require_rows(rows, people)
    assert window is not None
    return one_community_export(TEAMS, ctx, window, MICROSOFT_WINDOW, people)


# --- Viva Engage ---------------------------------------------------------------------------------

_ENGAGE_MEMBER_STATES = {"active": True, "deleted": False, "suspended": False, "deactivated": False}


def _engage_users(rows: Rows, ctx: Context) -> CommunityExport:
    cells, people = Cells(rows), People()
    stated = StatedWindow(rows, cells, ctx)
    upn = rows.column("User Principal Name")
    user_state = rows.column("User State")
    last = rows.column("Last Activity Date")
    posted = rows.column("Posted Count")
    for record in rows:
        people.rows += 1
        window = stated(record)
        if opted_out_row(ctx, record, upn):
            people.opted_out += 1
            continue
        text = record[user_state].strip().casefold() or "active"
        member = _ENGAGE_MEMBER_STATES.get(text)
        if member is None:
            raise rows.error(
                f"'{record[user_state].strip()[:20]}' is not a user state "
                f"({', '.join(_ENGAGE_MEMBER_STATES)})",
                user_state,
            )
        wrote = cells.positive(record, posted)
        people.add(member=member, active=cells.within(record, last, window), contributed=wrote)
    require_rows(rows, people)
    return one_community_export(ENGAGE_USERS, ctx, window, MICROSOFT_WINDOW, people)


def _engage_groups(rows: Rows, ctx: Context) -> CommunityExport:
    cells = Cells(rows)
    stated = StatedWindow(rows, cells, ctx)
    window: Window | None = None
    name = rows.column("Group Display Name")
    deleted = rows.column("Is Deleted")
    members = rows.column("Member Count")
    communities: list[Community] = []
    count = 0
    for record in rows:
        count += 1
        window = stated(record)
        if cells.flag(record, deleted):
            continue
        communities.append(
            Community(record[name].strip(), {"members": float(cells.count(record, members))})
        )
    require_rows(rows, count)
    assert window is not None
    return CommunityExport(
        file=ctx.file,
        format_id=ENGAGE_GROUPS.id,
        tool=ENGAGE_GROUPS.tool,
        title=ENGAGE_GROUPS.title,
        source=ENGAGE_GROUPS.source,
        window=window,
        window_from=MICROSOFT_WINDOW,
        rows=count,
        opted_out=0,
        communities=tuple(communities),
        notes=("Viva Engage counts messages per group, not people who posted: no contributors.",),
    )


TEAMS = Format(
    "teams-user-activity",
    "Microsoft Teams",
    "user activity detail",
    "teams",
    (
        "Report Refresh Date",
        "User Principal Name",
        "Last Activity Date",
        "Is Deleted",
        "Team Chat Message Count",
        "Private Chat Message Count",
        "Report Period",
    ),
    _teams,
)
ENGAGE_USERS = Format(
    "engage-activity-user",
    "Viva Engage",
    "activity user detail",
    "engage",
    (
        "Report Refresh Date",
        "User Principal Name",
        "User State",
        "Last Activity Date",
        "Posted Count",
        "Read Count",
        "Liked Count",
        "Report Period",
    ),
    _engage_users,
)
ENGAGE_GROUPS = Format(
    "engage-groups-activity",
    "Viva Engage",
    "groups activity detail",
    "engage",
    (
        "Report Refresh Date",
        "Group Display Name",
        "Is Deleted",
        "Member Count",
        "Posted Count",
        "Report Period",
    ),
    _engage_groups,
)
