"""Synthetic community-tool exports for the tests: the vendors' headers (docs/community-formats.md)
and made-up people (person0001@example.org ...), never anyone's real data."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass


def columns(line: str) -> list[str]:
    """A header as the vendor writes it, one line with commas."""
    return line.split(",")


TEAMS_HEADER = columns(
    "Report Refresh Date,Tenant Display Name,Shared Channel Tenant Display Names,User Id,"
    "User Principal Name,Last Activity Date,Is Deleted,Deleted Date,Assigned Products,"
    "Team Chat Message Count,Private Chat Message Count,Call Count,Meeting Count,Post Messages,"
    "Reply Messages,Urgent Messages,Meetings Organized Count,Meetings Attended Count,"
    "Ad Hoc Meetings Organized Count,Ad Hoc Meetings Attended Count,"
    "Scheduled One-time Meetings Organized Count,Scheduled One-time Meetings Attended Count,"
    "Scheduled Recurring Meetings Organized Count,Scheduled Recurring Meetings Attended Count,"
    "Audio Duration,Video Duration,Screen Share Duration,Audio Duration In Seconds,"
    "Video Duration In Seconds,Screen Share Duration In Seconds,Has Other Action,Is Licensed,"
    "Report Period"
)
ENGAGE_USERS_HEADER = columns(
    "Report Refresh Date,User Principal Name,Display Name,User State,State Change Date,"
    "Last Activity Date,Posted Count,Read Count,Liked Count,Assigned Products,Report Period"
)
ENGAGE_GROUPS_HEADER = columns(
    "Report Refresh Date,Group Display Name,Is Deleted,Owner Principal Name,Last Activity Date,"
    "Group Type,Office 365 Connected,Member Count,Posted Count,Read Count,Liked Count,"
    "Report Period"
)
SLACK_MEMBERS_HEADER = [
    "Date",
    "User ID",
    "Name",
    "What I do",
    "Account type",
    "Account created (UTC)",
    "Claimed Date (UTC)",
    "Deactivated date (UTC)",
    "Days active",
    "Days active (Desktop)",
    "Days active (Android)",
    "Days active (iOS)",
    "Messages posted",
    "Messages posted in channels",
    "Reactions added",
    "Last active (UTC)",
    "Email",
]
SLACK_CHANNELS_HEADER = [
    "Name",
    "Created (UTC)",
    "Last active (UTC)",
    "Total membership",
    "Full members",
    "Guests",
    "Members who posted",
    "Members who viewed",
    "Messages posted",
    "Messages posted by members",
    "Reactions added",
]
DISCOURSE_USERS_HEADER = columns(
    "id,name,username,email,title,created_at,last_seen_at,last_posted_at,last_emailed_at,"
    "trust_level,approved,suspended_at,suspended_till,silenced_till,active,admin,moderator,"
    "ip_address,staged,secondary_emails,topics_entered,posts_read_count,time_read,topic_count,"
    "post_count,likes_given,likes_received,location,website,views,group_names"
)


def email(n: int) -> str:
    return f"person{n:04d}@example.org"


def to_csv(
    header: Sequence[str], rows: Sequence[Sequence[object]], *, bom: bool = False, crlf: bool = True
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(header)
    writer.writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode()


@dataclass(frozen=True)
class Person:
    """One made-up person: how recently they were active and how much they posted."""

    n: int
    last_active: dt.date | None
    posts: int = 0
    deleted: bool = False


def teams_row(p: Person, refresh: dt.date, period: int) -> list[object]:
    row: dict[str, object] = dict.fromkeys(TEAMS_HEADER, 0)
    row.update(
        {
            "Report Refresh Date": refresh.isoformat(),
            "Tenant Display Name": "Example Org",
            "Shared Channel Tenant Display Names": "",
            "User Id": f"00000000-0000-0000-0000-{p.n:012d}",
            "User Principal Name": email(p.n),
            "Last Activity Date": p.last_active.isoformat() if p.last_active else "",
            "Is Deleted": "True" if p.deleted else "False",
            "Deleted Date": "",
            "Assigned Products": "MICROSOFT 365 E3+MICROSOFT TEAMS",
            "Team Chat Message Count": p.posts,
            "Private Chat Message Count": 3,
            "Post Messages": 0,
            "Reply Messages": 0,
            "Audio Duration": "PT0S",
            "Video Duration": "PT0S",
            "Screen Share Duration": "PT0S",
            "Has Other Action": "No",
            "Is Licensed": "Yes",
            "Report Period": period,
        }
    )
    return [row[h] for h in TEAMS_HEADER]


def teams_export(
    people: Sequence[Person], refresh: dt.date, period: int = 30, **options: bool
) -> bytes:
    return to_csv(TEAMS_HEADER, [teams_row(p, refresh, period) for p in people], **options)


def engage_users_export(
    people: Sequence[tuple[Person, str]], refresh: dt.date, period: int = 30
) -> bytes:
    rows = [
        [
            refresh.isoformat(),
            email(p.n),
            f"Person {p.n}",
            state,
            "",
            p.last_active.isoformat() if p.last_active else "",
            p.posts,
            5,
            1,
            "VIVA ENGAGE",
            period,
        ]
        for p, state in people
    ]
    return to_csv(ENGAGE_USERS_HEADER, rows, bom=True)


def engage_groups_export(
    groups: Sequence[tuple[str, int, bool]], refresh: dt.date, period: int = 30
) -> bytes:
    rows = [
        [
            refresh.isoformat(),
            name,
            "True" if deleted else "False",
            "owner@example.org",
            refresh.isoformat(),
            "Public",
            "True",
            members,
            12,
            40,
            9,
            period,
        ]
        for name, members, deleted in groups
    ]
    return to_csv(ENGAGE_GROUPS_HEADER, rows, bom=True)


def slack_members_export(people: Sequence[tuple[Person, int, bool]]) -> bytes:
    """(person, days active, deactivated)."""
    rows = [
        [
            "Nov 29, 2026",
            f"U{p.n:08d}",
            f"person{p.n}",
            "",
            "Member",
            "Jan 4, 2026",
            "Jan 4, 2026",
            "Nov 2, 2026" if gone else "",
            days,
            days,
            0,
            0,
            p.posts,
            p.posts,
            2,
            "Nov 28, 2026",
            email(p.n),
        ]
        for p, days, gone in people
    ]
    return to_csv(SLACK_MEMBERS_HEADER, rows, crlf=False)


def slack_channels_export(channels: Sequence[tuple[str, int, int]]) -> bytes:
    """(name, total membership, members who posted)."""
    rows = [
        [name, "Jan 4, 2026", "Nov 28, 2026", total, total, 0, posted, total, 80, 80, 30]
        for name, total, posted in channels
    ]
    return to_csv(SLACK_CHANNELS_HEADER, rows, crlf=False)


def discourse_users_export(
    people: Sequence[tuple[Person, dt.date | None, dict[str, str]]],
) -> bytes:
    """(person, last posted, overrides of cells such as active/staged/suspended_till)."""

    def stamp(day: dt.date | None) -> str:
        return f"{day.isoformat()} 10:15:00 UTC" if day else ""

    rows = []
    for p, posted, overrides in people:
        row = dict.fromkeys(DISCOURSE_USERS_HEADER, "")
        row.update(
            {
                "id": str(p.n),
                "name": f"Person {p.n}",
                "username": f"person{p.n}",
                "email": email(p.n),
                "created_at": "2026-01-04 09:00:00 UTC",
                "last_seen_at": stamp(p.last_active),
                "last_posted_at": stamp(posted),
                "trust_level": "1",
                "approved": "false",
                "active": "true",
                "admin": "false",
                "moderator": "false",
                "staged": "false",
                "post_count": str(p.posts),
            }
        )
        row.update(overrides)
        rows.append([row[h] for h in DISCOURSE_USERS_HEADER])
    return to_csv(DISCOURSE_USERS_HEADER, rows, crlf=False)


def discourse_report(days: Sequence[tuple[dt.date, float]]) -> bytes:
    return to_csv(["Day", "Count"], [[d.isoformat(), f"{v:g}"] for d, v in days], crlf=False)
