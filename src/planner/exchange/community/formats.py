"""The tool exports the planner reads, recognised by their header, and the figures of each.

Sources of the column lists: docs/community-formats.md. Formulas (window = the days the file
covers, both ends included):

    per person (Teams user activity, Viva Engage activity user detail, Slack member
    analytics, Discourse user list)
        members         people in the file not deleted, deactivated, suspended or staged
        active-members  members with activity in the window (Last Activity Date inside it;
                        Slack: Days active > 0; Discourse: last_seen_at inside it)
        contributors    members who posted at least once in the window (Teams: Team Chat
                        Message Count > 0, channel posts and replies; Viva Engage: Posted Count > 0;
                        Slack: Messages posted > 0; Discourse: last_posted_at inside it)
    per community (Viva Engage groups activity detail, Slack channel analytics): one row per
    group or channel
        members         its membership column (Member Count; Total membership)
        contributors    Slack's Members who posted (Viva Engage has no such column)
    per day (Discourse admin report CSVs, which report is told by the file name)
        median-hours-to-first-response  median of the report's daily hours
                                        (time-to-first-response)
        questions                       sum of the daily new topics (topics)

Opted-out people (their e-mail or principal name on the opt-out list) are left out of the
per-person figures before anything is counted; identifiers are read only for that check and
never kept.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO

from planner.domain.limits import MIN_YEAR, day_problem
from planner.exchange.community.blocks import Judged, Unsure, blocks, distinct
from planner.exchange.community.reader import (
    Cells,
    CommunityFormatError,
    Rows,
    UnknownFormatError,
    Window,
    normalise,
    parse_day,
)

OptOut = Callable[[str], bool]
"""Whether a person's identifier (e-mail or principal name) is on the opt-out list."""


@dataclass(frozen=True)
class Community:
    """The figures for one community in a file: `name` is the channel, group or category for a
    per-community file, None when the whole file is one community."""

    name: str | None
    figures: Mapping[str, float]


@dataclass(frozen=True)
class CommunityExport:
    """What one file says, without a single person's identifier in it."""

    file: str
    format_id: str
    tool: str
    title: str
    source: str
    """The readings' source column (at most 8 characters)."""
    window: Window
    window_from: str
    """Where the window came from: the file's columns, its name, or the user."""
    rows: int
    opted_out: int
    communities: tuple[Community, ...]
    notes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.tool} {self.title}"

    def community(self, name: str | None) -> Community:
        """The community `name` picks (casefolded, a leading # ignored); the only one when
        `name` is None. CommunityFormatError lists the names otherwise."""
        if name is None:
            if len(self.communities) == 1:
                return self.communities[0]
            raise CommunityFormatError(
                self.file,
                f"{len(self.communities):,} channels or groups in this file "
                f"({_names(self.communities)}); choose one (--channel NAME)",
            )
        wanted = name.strip().lstrip("#").casefold()
        for community in self.communities:
            if community.name is None or community.name.lstrip("#").casefold() == wanted:
                return community
        raise CommunityFormatError(
            self.file, f"no channel or group '{name}' in this file ({_names(self.communities)})"
        )


def _names(communities: Sequence[Community], shown: int = 8) -> str:
    names = [c.name or "" for c in communities[:shown]]
    more = len(communities) - shown
    return ", ".join(names) + (f" and {more:,} more" if more > 0 else "")


@dataclass(frozen=True)
class Format:
    id: str
    tool: str
    title: str
    source: str
    required: tuple[str, ...]
    read: Callable[[Rows, Context], CommunityExport] = field(repr=False)

    @property
    def label(self) -> str:
        return f"{self.tool} {self.title}"


@dataclass(frozen=True)
class Context:
    file: str
    window: Window | None
    opted_out: OptOut | None


# --- shared ------------------------------------------------------------------------------------


class _People:
    """Counts members, active members and contributors, and the opted-out left out."""

    def __init__(self) -> None:
        self.rows = self.members = self.active = self.contributors = self.opted_out = 0

    def add(self, *, member: bool, active: bool, contributed: bool) -> None:
        if member:
            self.members += 1
            self.active += active
            self.contributors += contributed

    def figures(self) -> dict[str, float]:
        return {
            "members": float(self.members),
            "active-members": float(self.active),
            "contributors": float(self.contributors),
        }


def _skip(ctx: Context, record: Sequence[str], k: int | None) -> bool:
    """True when the row's person opted out (only checked when someone has)."""
    if ctx.opted_out is None or k is None:
        return False
    identifier = record[k].strip()
    return bool(identifier) and ctx.opted_out(identifier)


def _no_rows(rows: Rows, people: _People | int) -> None:
    count = people.rows if isinstance(people, _People) else people
    if count == 0:
        raise CommunityFormatError(
            rows.file, "the header is there but no rows; export the report again"
        )


def _check_given(ctx: Context, window: Window, where: str) -> None:
    """A window the user gave must agree with the one the file states."""
    if ctx.window is not None and ctx.window != window:
        raise CommunityFormatError(
            ctx.file,
            f"the window given ({ctx.window.describe()}) contradicts the {where} "
            f"({window.describe()}); leave the window out or give the file's own",
        )


_MICROSOFT_WINDOW = "the file's Report Refresh Date and Report Period"


class _StatedWindow:
    """The window a Microsoft 365 usage report states on every row (Report Refresh Date and
    Report Period, in days): taken from the first row, and every other row must agree."""

    def __init__(self, rows: Rows, cells: Cells, ctx: Context) -> None:
        self.rows, self.cells, self.ctx = rows, cells, ctx
        self.refresh_k = rows.column("Report Refresh Date")
        self.period_k = rows.column("Report Period")
        self.window: Window | None = None
        self.texts: tuple[str, str] | None = None

    def __call__(self, record: Sequence[str]) -> Window:
        texts = (record[self.refresh_k], record[self.period_k])
        if texts == self.texts and self.window is not None:
            return self.window
        rows, refresh_k, period_k = self.rows, self.refresh_k, self.period_k
        refresh = self.cells.day(record, refresh_k)
        period = self.cells.count(record, period_k)
        assert refresh is not None
        problem = day_problem(refresh)  # other dates only compare (Discourse: suspended 3026)
        if problem is not None:
            raise rows.error(problem, refresh_k)
        first = self.window
        if first is None:
            if period < 1:
                raise rows.error(f"'{texts[1].strip()}' days is not a report period", period_k)
            if period > (refresh - dt.date(MIN_YEAR, 1, 1)).days + 1:
                raise rows.error(
                    f"{period:,} days would start before {MIN_YEAR}; not a report period",
                    period_k,
                )
            self.window, self.texts = Window.ending(refresh, period), texts
            _check_given(self.ctx, self.window, _MICROSOFT_WINDOW)
            return self.window
        if refresh != first.end:
            raise rows.error(
                f"{texts[0].strip()} differs from the first row's refresh date "
                f"({first.end:%d %b %Y}); one export has one refresh date",
                refresh_k,
            )
        if period != first.days:
            raise rows.error(
                f"{period} days differs from the first row's {first.days}; one export has one "
                "report period",
                period_k,
            )
        return first


# --- Microsoft Teams user activity detail ------------------------------------------------------


def _teams(rows: Rows, ctx: Context) -> CommunityExport:
    cells, people = Cells(rows), _People()
    stated = _StatedWindow(rows, cells, ctx)
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
    _no_rows(rows, people)
    return _export(TEAMS, ctx, window, _MICROSOFT_WINDOW, people)


def _teams_in_blocks(rows: Rows, ctx: Context) -> CommunityExport:
    """`_teams`, column-wise over blocks of rows parsed by pyarrow (`blocks`): the same
    figures, or Unsure (or the first CommunityFormatError met, whose row may not be the
    first bad one) and the caller reads the file row by row. Each distinct text of a date,
    flag or count column is judged once, by the same cell readers `_teams` uses."""
    import numpy as np

    cells = Cells(rows)
    stated = _StatedWindow(rows, cells, ctx)
    refresh_k, period_k = stated.refresh_k, stated.period_k
    upn = rows.column("User Principal Name")
    deleted = rows.column("Is Deleted")
    last = rows.column("Last Activity Date")
    posted = rows.column("Team Chat Message Count")  # see _teams
    width, opted_out = len(rows.header), ctx.opted_out
    flags = getattr(opted_out, "flags", None)
    people = _People()
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
    _no_rows(rows, people)
    assert window is not None
    return _export(TEAMS, ctx, window, _MICROSOFT_WINDOW, people)


def _export(
    fmt: Format,
    ctx: Context,
    window: Window,
    window_from: str,
    people: _People,
    notes: tuple[str, ...] = (),
) -> CommunityExport:
    return CommunityExport(
        file=ctx.file,
        format_id=fmt.id,
        tool=fmt.tool,
        title=fmt.title,
        source=fmt.source,
        window=window,
        window_from=window_from,
        rows=people.rows,
        opted_out=people.opted_out,
        communities=(Community(None, people.figures()),),
        notes=notes,
    )


# --- Viva Engage ---------------------------------------------------------------------------------

_ENGAGE_MEMBER_STATES = {"active": True, "deleted": False, "suspended": False, "deactivated": False}


def _engage_users(rows: Rows, ctx: Context) -> CommunityExport:
    cells, people = Cells(rows), _People()
    stated = _StatedWindow(rows, cells, ctx)
    upn = rows.column("User Principal Name")
    user_state = rows.column("User State")
    last = rows.column("Last Activity Date")
    posted = rows.column("Posted Count")
    for record in rows:
        people.rows += 1
        window = stated(record)
        if _skip(ctx, record, upn):
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
    _no_rows(rows, people)
    return _export(ENGAGE_USERS, ctx, window, _MICROSOFT_WINDOW, people)


def _engage_groups(rows: Rows, ctx: Context) -> CommunityExport:
    cells = Cells(rows)
    stated = _StatedWindow(rows, cells, ctx)
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
    _no_rows(rows, count)
    assert window is not None
    return CommunityExport(
        file=ctx.file,
        format_id=ENGAGE_GROUPS.id,
        tool=ENGAGE_GROUPS.tool,
        title=ENGAGE_GROUPS.title,
        source=ENGAGE_GROUPS.source,
        window=window,
        window_from=_MICROSOFT_WINDOW,
        rows=count,
        opted_out=0,
        communities=tuple(communities),
        notes=("Viva Engage counts messages per group, not people who posted: no contributors.",),
    )


# --- Slack ----------------------------------------------------------------------------------------

_SLACK_NAME_WINDOW = re.compile(
    r"(?:prior|last|past)\s+(\d{1,4})\s+days?\s*[-–—]\s*([A-Za-z]{3,9}\.? \d{1,2}, \d{4})",
    re.IGNORECASE,
)


def slack_window_from_name(file: str) -> Window | None:
    """`Acme Member Analytics Prior 30 Days - Nov 29, 2026.csv` → the 30 days to 29 Nov 2026."""
    m = _SLACK_NAME_WINDOW.search(file)
    if not m:
        return None
    end = parse_day(m[2].replace(".", ""))
    days = int(m[1])
    return Window.ending(end, days) if end is not None and days > 0 else None


def _slack_window(ctx: Context) -> tuple[Window, str]:
    from_name = slack_window_from_name(ctx.file)
    problem = None if from_name is None else day_problem(from_name.end)
    if problem is not None:
        raise CommunityFormatError(ctx.file, f"the date in the file name: {problem}")
    if from_name is not None:
        _check_given(ctx, from_name, "file name")
        return from_name, "the file name"
    if ctx.window is None:
        raise CommunityFormatError(
            ctx.file,
            "Slack writes the days an export covers only in the file name (e.g. '... Prior 30 "
            "Days - Nov 29, 2026.csv') and this name does not say; keep Slack's file name or "
            "give the window (--window-end DATE --window-days N)",
        )
    return ctx.window, "the window given"


def _slack_members(rows: Rows, ctx: Context) -> CommunityExport:
    window, window_from = _slack_window(ctx)
    cells, people = Cells(rows), _People()
    days_active = rows.column("Days active")
    messages = rows.column("Messages posted")
    email = rows.first_of("Email", "Email address")
    deactivated = [k for k, h in enumerate(rows.header) if normalise(h).startswith("deactivated")]
    account = rows.first_of("Account type")
    for record in rows:
        people.rows += 1
        if _skip(ctx, record, email):
            people.opted_out += 1
            continue
        gone = any(record[k].strip() for k in deactivated) or (
            account is not None and "deactivated" in record[account].casefold()
        )
        active = cells.count(record, days_active) > 0
        wrote = cells.count(record, messages) > 0
        people.add(member=not gone, active=active, contributed=wrote)
    _no_rows(rows, people)
    return _export(SLACK_MEMBERS, ctx, window, window_from, people)


def _slack_channels(rows: Rows, ctx: Context) -> CommunityExport:
    window, window_from = _slack_window(ctx)
    cells = Cells(rows)
    name = rows.column("Name")
    members = rows.column("Total membership")
    posted = rows.column("Members who posted")
    communities: list[Community] = []
    for record in rows:
        figures = {
            "members": float(cells.count(record, members)),
            "contributors": float(cells.count(record, posted)),
        }
        communities.append(Community(record[name].strip(), figures))
    _no_rows(rows, len(communities))
    return CommunityExport(
        file=ctx.file,
        format_id=SLACK_CHANNELS.id,
        tool=SLACK_CHANNELS.tool,
        title=SLACK_CHANNELS.title,
        source=SLACK_CHANNELS.source,
        window=window,
        window_from=window_from,
        rows=len(communities),
        opted_out=0,
        communities=tuple(communities),
    )


# --- Discourse --------------------------------------------------------------------------------

_DISCOURSE_STAMP = re.compile(r"(\d{2})(\d{2})(\d{2})-\d{6}")
DISCOURSE_DEFAULT_DAYS = 30
"""The window of a Discourse user list when only its date is known (Discourse's default report
length)."""


def _discourse_stamp(file: str) -> dt.date | None:
    """The day in a Discourse export's name: `user-list-261129-101500-5.csv` → 29 Nov 2026."""
    m = _DISCOURSE_STAMP.search(file)
    if not m:
        return None
    try:
        return dt.date(2000 + int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _discourse_users(rows: Rows, ctx: Context) -> CommunityExport:
    stamp = _discourse_stamp(ctx.file)
    if ctx.window is not None:
        window, window_from = ctx.window, "the window given"
        if stamp is not None and window.end > stamp:
            raise CommunityFormatError(
                ctx.file,
                f"the window given ends on {window.end:%d %b %Y}, after the export's date in "
                f"its name ({stamp:%d %b %Y}); a user list cannot know later days",
            )
    elif stamp is not None:
        window = Window.ending(stamp, DISCOURSE_DEFAULT_DAYS)
        window_from = f"the date in the file name, {DISCOURSE_DEFAULT_DAYS} days"
    else:
        raise CommunityFormatError(
            ctx.file,
            "a Discourse user list says its date only in its name (user-list-YYMMDD-...); keep "
            "the name or give the window (--window-end DATE --window-days N)",
        )
    cells, people = Cells(rows), _People()
    email = rows.column("email")
    active_k = rows.column("active")
    staged = rows.column("staged")
    seen = rows.column("last_seen_at")
    posted = rows.column("last_posted_at")
    created = rows.column("created_at")
    suspended = rows.first_of("suspended_till")
    for record in rows:
        people.rows += 1
        if _skip(ctx, record, email):
            people.opted_out += 1
            continue
        joined = cells.day(record, created, optional=True)
        until = cells.day(record, suspended, optional=True) if suspended is not None else None
        member = (
            cells.flag(record, active_k)
            and not cells.flag(record, staged)
            and (joined is None or joined <= window.end)
            and (until is None or until <= window.end)
        )
        people.add(
            member=member,
            active=cells.day(record, seen, optional=True) in window,
            contributed=cells.day(record, posted, optional=True) in window,
        )
    _no_rows(rows, people)
    return _export(DISCOURSE_USERS, ctx, window, window_from, people)


DISCOURSE_REPORTS: dict[str, str | None] = {
    "time-to-first-response": "median-hours-to-first-response",
    "topics-with-no-response": None,
    "topics": "questions",
    "posts": None,
    "daily-engaged-users": None,
}
"""Discourse report (as its export's file name starts) → the health metric it gives, if any."""


def _discourse_report_name(file: str) -> str | None:
    base = file.rsplit("/", 1)[-1].casefold()
    for name in sorted(DISCOURSE_REPORTS, key=len, reverse=True):
        if base.startswith(name):
            return name
    return None


def _discourse_report(rows: Rows, ctx: Context) -> CommunityExport:
    report = _discourse_report_name(ctx.file)
    if report is None:
        raise CommunityFormatError(
            ctx.file,
            "a Discourse report (Day, Count) but its name does not say which report; keep the "
            "name Discourse gives it (it starts with the report: "
            + ", ".join(DISCOURSE_REPORTS)
            + ")",
        )
    cells = Cells(rows)
    day_k, value_k = rows.column("Day"), rows.column("Count")
    values: dict[dt.date, float] = {}
    for record in rows:
        day = cells.day(record, day_k)
        assert day is not None
        if day in values:
            raise rows.error(f"{day:%d %b %Y} appears twice; a report has one row a day", day_k)
        values[day] = cells.number(record, value_k)
    _no_rows(rows, len(values))
    window = Window(min(values), max(values))
    _check_given(ctx, window, "days in the file")
    metric = DISCOURSE_REPORTS[report]
    figures: dict[str, float] = {}
    notes: tuple[str, ...] = ()
    if metric == "median-hours-to-first-response":
        figures[metric] = round(statistics.median(values.values()), 2)
    elif metric == "questions":
        figures[metric] = float(sum(values.values()))
    else:
        notes = (f"The {report} report gives no community-health figure; nothing to import.",)
    return CommunityExport(
        file=ctx.file,
        format_id=DISCOURSE_DAILY.id,
        tool=DISCOURSE_DAILY.tool,
        title=f"{report} report",
        source=DISCOURSE_DAILY.source,
        window=window,
        window_from="the days in the file",
        rows=len(values),
        opted_out=0,
        communities=(Community(None, figures),),
        notes=notes,
    )


# --- the formats, most specific first ------------------------------------------------------------

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
SLACK_MEMBERS = Format(
    "slack-member-analytics",
    "Slack",
    "member analytics",
    "slack",
    ("Days active", "Messages posted"),
    _slack_members,
)
SLACK_CHANNELS = Format(
    "slack-channel-analytics",
    "Slack",
    "channel analytics",
    "slack",
    ("Name", "Total membership", "Members who posted"),
    _slack_channels,
)
DISCOURSE_USERS = Format(
    "discourse-user-list",
    "Discourse",
    "user list",
    "discours",
    ("id", "username", "email", "created_at", "last_seen_at", "last_posted_at", "active", "staged"),
    _discourse_users,
)
DISCOURSE_DAILY = Format(
    "discourse-report",
    "Discourse",
    "admin report",
    "discours",
    ("Day", "Count"),
    _discourse_report,
)

FORMATS: tuple[Format, ...] = (
    TEAMS,
    ENGAGE_USERS,
    ENGAGE_GROUPS,
    SLACK_MEMBERS,
    SLACK_CHANNELS,
    DISCOURSE_USERS,
    DISCOURSE_DAILY,
)

AGGREGATE_FORMATS: frozenset[str] = frozenset(
    {ENGAGE_GROUPS.id, SLACK_CHANNELS.id, DISCOURSE_DAILY.id}
)
"""Formats holding totals (per channel, group or day), not people: opted-out people cannot be
left out of their figures."""

SOURCE_LABELS: dict[str, str] = {
    "teams": "Microsoft Teams",
    "engage": "Viva Engage",
    "slack": "Slack",
    "discours": "Discourse",
}
"""A reading's source code → the tool's name."""


def recognise(rows: Rows) -> Format:
    """The format whose required columns the header has (the one needing most, if several);
    UnknownFormatError says what the closest formats lack."""
    present = set(rows.index)
    matches = [f for f in FORMATS if all(normalise(c) in present for c in f.required)]
    if matches:
        return max(matches, key=lambda f: len(f.required))

    def missing(fmt: Format) -> list[str]:
        return [c for c in fmt.required if normalise(c) not in present]

    closest = sorted(FORMATS, key=lambda f: len(missing(f)) / len(f.required))[:3]
    lacks = "; ".join(f"{f.label} lacks {', '.join(missing(f))}" for f in closest)
    raise UnknownFormatError(
        rows.file,
        "not an export the planner recognises. Tried "
        + ", ".join(f.label for f in FORMATS)
        + f". Closest: {lacks}. A readings CSV has the columns item, metric, date, value",
    )


def read_export(
    file: str,
    data: bytes | IO[bytes],
    *,
    window: Window | None = None,
    opted_out: OptOut | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> CommunityExport:
    """Recognise the file by its header and compute its figures, reading it once, row by row.

    `file` is the file's name as the tool gave it (Slack and Discourse put the window or the
    report in it); `window` is the user's, for files that do not state theirs (and checked
    against those that do); `opted_out` tells whether an identifier is on the opt-out list;
    `on_progress` gets the number of data rows read every 10,000 rows.
    """
    stream: IO[bytes] = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    start = stream.tell() if stream.seekable() else None
    rows = Rows(file, stream, on_progress=on_progress)
    fmt = recognise(rows)
    ctx = Context(file, window, opted_out)
    in_blocks = _IN_BLOCKS.get(fmt.id)
    if in_blocks is not None and start is not None:
        try:
            return in_blocks(rows, ctx)
        except (Unsure, CommunityFormatError):
            stream.seek(start)  # read again row by row: it names the first problem exactly
            rows = Rows(file, stream, on_progress=on_progress)
    return fmt.read(rows, ctx)


_IN_BLOCKS: dict[str, Callable[[Rows, Context], CommunityExport]] = {TEAMS.id: _teams_in_blocks}
"""Formats with a fast path over blocks of rows (`blocks`), tried first on a seekable file."""
