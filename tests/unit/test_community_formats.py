"""Community tools' exports: recognition from the header, every formula, windows, bad input."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from planner.exchange.community import (
    CommunityFormatError,
    UnknownFormatError,
    Window,
    parse_day,
    read_export,
    slack_window_from_name,
)
from tests.community_files import (
    TEAMS_HEADER,
    Person,
    discourse_report,
    discourse_users_export,
    email,
    engage_groups_export,
    engage_users_export,
    slack_channels_export,
    slack_members_export,
    teams_export,
    to_csv,
)

REFRESH = dt.date(2026, 11, 29)
DAY = dt.timedelta(days=1)
FIRST_DAY = REFRESH - 29 * DAY  # a 30-day window: 31 Oct to 29 Nov
SLACK_NAME = "Acme Member Analytics Prior 30 Days - Nov 29, 2026.csv"


def figures(export: object, name: str | None = None) -> dict[str, float]:
    return dict(export.community(name).figures)  # type: ignore[attr-defined]


def teams_people() -> list[Person]:
    return [
        Person(1, REFRESH, posts=4),  # active, contributed
        Person(2, FIRST_DAY),  # active on the window's first day
        Person(3, FIRST_DAY - DAY),  # the day before: not active
        Person(4, None),  # never active
        Person(5, REFRESH, posts=9, deleted=True),  # deleted: not a member at all
        Person(6, REFRESH - 3 * DAY, posts=1),
    ]


# --- Microsoft Teams ---------------------------------------------------------------------------


@pytest.mark.parametrize("options", [{"bom": True, "crlf": True}, {"bom": False, "crlf": False}])
def test_teams_user_activity_members_active_and_contributors(options: dict[str, bool]) -> None:
    data = teams_export(teams_people(), REFRESH, 30, **options)
    export = read_export("TeamsUserActivityUserDetail.csv", data)
    assert export.format_id == "teams-user-activity"
    assert export.source == "teams"
    assert export.window == Window(FIRST_DAY, REFRESH)
    assert export.rows == 6
    assert figures(export) == {"members": 5, "active-members": 3, "contributors": 2}


def test_teams_contributors_come_from_channel_messages_not_private_chats() -> None:
    data = teams_export([Person(1, REFRESH, posts=0), Person(2, REFRESH, posts=1)], REFRESH)
    lines = data.decode().splitlines()
    private = TEAMS_HEADER.index("Private Chat Message Count")
    assert lines[1].split(",")[private] == "3"  # person 1 chatted privately only
    assert figures(read_export("t.csv", data))["contributors"] == 1


def test_opted_out_people_are_left_out_before_counting() -> None:
    out = {email(1), email(2)}
    export = read_export(
        "t.csv", teams_export(teams_people(), REFRESH), opted_out=lambda i: i in out
    )
    assert export.opted_out == 2
    assert figures(export) == {"members": 3, "active-members": 1, "contributors": 1}


def test_a_file_object_is_read_as_a_stream() -> None:
    data = teams_export(teams_people(), REFRESH, bom=True)

    class OneWay(io.RawIOBase):
        def __init__(self) -> None:
            self.inner = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def seekable(self) -> bool:
            return False

        def readinto(self, b: bytearray) -> int:  # type: ignore[override]
            chunk = self.inner.read(min(len(b), 7))
            b[: len(chunk)] = chunk
            return len(chunk)

    export = read_export("t.csv", io.BufferedReader(OneWay()))
    assert figures(export)["members"] == 5


def test_text_in_a_number_column_names_file_row_and_column_but_no_person() -> None:
    data = teams_export(teams_people(), REFRESH).decode().splitlines()
    cells = data[3].split(",")
    cells[TEAMS_HEADER.index("Team Chat Message Count")] = "lots"
    data[3] = ",".join(cells)
    with pytest.raises(CommunityFormatError) as caught:
        read_export("teams.csv", "\n".join(data).encode())
    message = str(caught.value)
    assert message.startswith("teams.csv, row 4, column 'Team Chat Message Count': 'lots'")
    assert "Nothing was imported" in message
    assert email(3) not in message and "00000000-0000" not in message


def test_rows_must_agree_on_the_refresh_date_and_period() -> None:
    first = teams_export(teams_people()[:2], REFRESH).decode()
    other = teams_export([Person(9, REFRESH)], REFRESH + DAY).decode().splitlines()[1]
    with pytest.raises(CommunityFormatError, match=r"row 4, column 'Report Refresh Date'"):
        read_export("t.csv", (first + other + "\r\n").encode())
    longer = teams_export([Person(9, REFRESH)], REFRESH, 7).decode().splitlines()[1]
    with pytest.raises(CommunityFormatError, match=r"row 4, column 'Report Period'"):
        read_export("t.csv", (first + longer + "\r\n").encode())


def test_a_given_window_that_contradicts_the_file_is_refused() -> None:
    with pytest.raises(CommunityFormatError, match="contradicts"):
        read_export(
            "t.csv", teams_export(teams_people(), REFRESH), window=Window.ending(REFRESH, 7)
        )
    same = read_export(
        "t.csv", teams_export(teams_people(), REFRESH), window=Window.ending(REFRESH, 30)
    )
    assert same.window.days == 30


def test_a_renamed_column_makes_an_unknown_file_saying_what_is_lacking() -> None:
    header = ["Last Activity" if h == "Last Activity Date" else h for h in TEAMS_HEADER]
    data = to_csv(header, [[""] * len(header)])
    with pytest.raises(UnknownFormatError) as caught:
        read_export("renamed.csv", data)
    message = str(caught.value)
    assert "renamed.csv: not an export the planner recognises" in message
    assert "Microsoft Teams user activity detail lacks Last Activity Date" in message
    for tool in ("Viva Engage", "Slack member analytics", "Discourse user list"):
        assert tool in message


def test_empty_files_and_files_without_rows() -> None:
    with pytest.raises(CommunityFormatError, match="empty: no header"):
        read_export("empty.csv", b"")
    with pytest.raises(CommunityFormatError, match="empty: no header"):
        read_export("blank.csv", b"\xef\xbb\xbf\r\n")
    with pytest.raises(CommunityFormatError, match="no rows"):
        read_export("header.csv", teams_export([], REFRESH))


def test_files_that_are_not_utf8_or_not_csv() -> None:
    with pytest.raises(CommunityFormatError, match="UTF-16"):
        read_export("u16.csv", "Report Refresh Date".encode("utf-16"))
    latin = teams_export(teams_people(), REFRESH).replace(b"Example Org", b"Exampl\xe9")
    with pytest.raises(CommunityFormatError, match=r"line 2 is not UTF-8"):
        read_export("latin.csv", latin)
    lines = teams_export(teams_people(), REFRESH).decode().splitlines()
    lines[2] += ",extra"
    with pytest.raises(CommunityFormatError, match=r"row 3: 34 cells but the header names 33"):
        read_export("wide.csv", "\n".join(lines).encode())


def test_vendor_date_styles() -> None:
    assert parse_day("2026-11-29") == REFRESH
    assert parse_day("2026-11-29 10:15:00 UTC") == REFRESH
    assert parse_day("Nov 29, 2026") == REFRESH
    assert parse_day("29 Nov 2026") == REFRESH
    assert parse_day("November 29, 2026") == REFRESH
    assert parse_day("11/29/2026") is None
    assert parse_day("2026-02-30") is None
    lines = teams_export(teams_people(), REFRESH).decode().splitlines()
    lines[1] = lines[1].replace(REFRESH.isoformat(), "11/29/2026", 1)
    with pytest.raises(CommunityFormatError, match="different days in different countries"):
        read_export("excel.csv", "\n".join(lines).encode())


# --- Viva Engage -------------------------------------------------------------------------------


def test_engage_activity_user_detail() -> None:
    people = [
        (Person(1, REFRESH, posts=2), "Active"),
        (Person(2, REFRESH - 40 * DAY), "Active"),
        (Person(3, REFRESH, posts=5), "Deleted"),
        (Person(4, REFRESH), "active"),
    ]
    export = read_export("engage.csv", engage_users_export(people, REFRESH, 30))
    assert export.format_id == "engage-activity-user"
    assert figures(export) == {"members": 3, "active-members": 2, "contributors": 1}
    with pytest.raises(CommunityFormatError, match=r"row 2, column 'User State': 'Away'"):
        read_export("engage.csv", engage_users_export([(Person(1, REFRESH), "Away")], REFRESH))


def test_engage_groups_activity_detail_per_group() -> None:
    groups = [("Data Guild", 120, False), ("Old Guild", 30, True), ("Design Circle", 48, False)]
    export = read_export("groups.csv", engage_groups_export(groups, REFRESH, 7))
    assert export.format_id == "engage-groups-activity"
    assert export.window == Window.ending(REFRESH, 7)
    assert [c.name for c in export.communities] == ["Data Guild", "Design Circle"]
    assert figures(export, "design circle") == {"members": 48}
    with pytest.raises(CommunityFormatError, match=r"2 channels or groups.*--channel"):
        export.community(None)
    with pytest.raises(CommunityFormatError, match=r"no channel or group 'Old Guild'"):
        export.community("Old Guild")


# --- Slack ----------------------------------------------------------------------------------------


def slack_people() -> list[tuple[Person, int, bool]]:
    return [
        (Person(1, None, posts=3), 12, False),
        (Person(2, None), 1, False),
        (Person(3, None), 0, False),
        (Person(4, None, posts=7), 9, True),  # deactivated
    ]


def test_slack_window_comes_from_the_file_name() -> None:
    assert slack_window_from_name(SLACK_NAME) == Window.ending(REFRESH, 30)
    assert slack_window_from_name("x Prior 7 Days - Sep 3, 2026.csv") == Window.ending(
        dt.date(2026, 9, 3), 7
    )
    assert slack_window_from_name("member-analytics.csv") is None


def test_slack_member_analytics() -> None:
    export = read_export(SLACK_NAME, slack_members_export(slack_people()))
    assert export.format_id == "slack-member-analytics"
    assert export.window_from == "the file name"
    assert figures(export) == {"members": 3, "active-members": 2, "contributors": 1}
    out = read_export(
        SLACK_NAME, slack_members_export(slack_people()), opted_out=lambda i: i == email(1)
    )
    assert figures(out) == {"members": 2, "active-members": 1, "contributors": 0}


def test_slack_needs_a_window_when_the_name_does_not_say_and_refuses_a_contradiction() -> None:
    data = slack_members_export(slack_people())
    with pytest.raises(CommunityFormatError, match="only in the file name"):
        read_export("members.csv", data)
    given = Window.ending(dt.date(2026, 10, 31), 31)
    assert read_export("members.csv", data, window=given).window == given
    with pytest.raises(CommunityFormatError, match="contradicts the file name"):
        read_export(SLACK_NAME, data, window=given)


def test_slack_channel_analytics() -> None:
    data = slack_channels_export([("ask-data", 210, 31), ("random", 900, 200)])
    export = read_export("Acme Channel Analytics Prior 30 Days - Nov 29, 2026.csv", data)
    assert export.format_id == "slack-channel-analytics"
    assert figures(export, "#ask-data") == {"members": 210, "contributors": 31}


# --- Discourse ------------------------------------------------------------------------------------


def test_discourse_user_list() -> None:
    late = REFRESH - 45 * DAY
    people = [
        (Person(1, REFRESH, posts=3), REFRESH - 2 * DAY, {}),
        (Person(2, REFRESH - 5 * DAY), late, {}),
        (Person(3, late), None, {}),
        (Person(4, REFRESH), REFRESH, {"staged": "true"}),
        (Person(5, REFRESH), REFRESH, {"active": "false"}),
        (Person(6, REFRESH), REFRESH, {"suspended_till": "3026-01-01 00:00:00 UTC"}),
        (Person(7, REFRESH), None, {"suspended_till": "2026-10-01 00:00:00 UTC"}),
    ]
    export = read_export("user-list-261129-101500-5.csv", discourse_users_export(people))
    assert export.format_id == "discourse-user-list"
    assert export.window == Window.ending(REFRESH, 30)
    assert figures(export) == {"members": 4, "active-members": 3, "contributors": 1}
    with pytest.raises(CommunityFormatError, match="after the export's date"):
        read_export(
            "user-list-261129-101500-5.csv",
            discourse_users_export(people),
            window=Window.ending(REFRESH + DAY, 30),
        )
    with pytest.raises(CommunityFormatError, match="says its date only in its name"):
        read_export("users.csv", discourse_users_export(people))


def test_discourse_reports_per_day() -> None:
    hours = [(FIRST_DAY + k * DAY, v) for k, v in enumerate([2.5, 10, 4, 30.25, 6])]
    export = read_export("time-to-first-response-261129-101500-12.csv", discourse_report(hours))
    assert export.format_id == "discourse-report"
    assert export.window == Window(FIRST_DAY, FIRST_DAY + 4 * DAY)
    assert figures(export) == {"median-hours-to-first-response": 6}
    topics = read_export("topics-261129-101500-13.csv", discourse_report(hours))
    assert figures(topics) == {"questions": 52.75}
    posts = read_export("posts-261129-101500-14.csv", discourse_report(hours))
    assert figures(posts) == {}
    assert "no community-health figure" in posts.notes[0]


def test_discourse_report_problems() -> None:
    twice = [(FIRST_DAY, 1.0), (FIRST_DAY, 2.0)]
    with pytest.raises(CommunityFormatError, match=r"row 3, column 'Day'.*appears twice"):
        read_export("topics-261129-101500-1.csv", discourse_report(twice))
    with pytest.raises(CommunityFormatError, match="does not say which report"):
        read_export("report.csv", discourse_report([(FIRST_DAY, 1.0)]))
    with pytest.raises(CommunityFormatError, match=r"row 2, column 'Count': 'n/a'"):
        read_export("topics-1.csv", b"Day,Count\n2026-11-01,n/a\n")


def test_no_identifier_is_in_what_a_file_gives_back() -> None:
    exports = [
        read_export("t.csv", teams_export(teams_people(), REFRESH)),
        read_export(SLACK_NAME, slack_members_export(slack_people())),
        read_export(
            "user-list-261129-101500-5.csv",
            discourse_users_export([(Person(1, REFRESH), REFRESH, {})]),
        ),
    ]
    for export in exports:
        text = repr(export)
        assert "example.org" not in text and "person" not in text.casefold().replace("people", "")


def test_limits_on_line_and_cell_length() -> None:
    from planner.exchange.community import reader

    long_line = b"Day,Count\n2026-11-01," + b"9" * reader.MAX_LINE_BYTES + b"\n"
    with pytest.raises(CommunityFormatError, match=r"line 2 is longer than 1,000,000 bytes"):
        read_export("topics-1.csv", long_line)
    long_cell = b'Day,Count\n2026-11-01,"' + b"9\n" * (reader.MAX_CELL_CHARS // 2 + 1) + b'"\n'
    with pytest.raises(CommunityFormatError, match=r"not a readable CSV row \(field larger"):
        read_export("topics-1.csv", long_cell)


@pytest.mark.parametrize(
    "identifier",
    [
        "ada@example.org",
        "  Ada@Example.ORG ",
        "mailto:Ada@example.org",
        "mbox_sha1sum:" + "ab" * 20,
        "account:https://lms.example.org/|ada",
        "https://lms.example.org/|ada",
        "openid:https://id.example.org/ada",
        "Ada Lovelace",
    ],
)
@pytest.mark.parametrize("key", [b"a test key that is long enough", b"k" * 100])
def test_the_fast_hasher_equals_person_hash(identifier: str, key: bytes) -> None:
    from planner.domain.privacy import person_hash, person_hasher

    assert person_hasher(key)(identifier) == person_hash(identifier, key)


def test_the_opt_out_matcher_finds_exactly_the_listed_people() -> None:
    from planner.domain.privacy import opt_out_matcher, person_hash

    key = b"a test key that is long enough"
    matcher = opt_out_matcher(key, [person_hash("mailto:Ada@Example.org", key)])
    assert matcher(" ada@example.org")
    assert not matcher("ben@example.org")
    assert not opt_out_matcher(key, [])("ada@example.org")


def test_quoted_cells_commas_and_line_breaks_inside_them() -> None:
    people = teams_people()
    plain = teams_export(people, REFRESH)
    out = io.StringIO()
    import csv

    rows = list(csv.reader(io.StringIO(plain.decode())))
    rows[1][TEAMS_HEADER.index("Tenant Display Name")] = "Example, Inc.\r\nEurope"
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerows(rows)
    export = read_export("quoted.csv", out.getvalue().encode())
    assert figures(export) == figures(read_export("plain.csv", plain))
    lines = out.getvalue().split("\r\n")
    lines[3] = lines[3].replace(f'"{REFRESH.isoformat()}"', '"soon"', 1)
    with pytest.raises(CommunityFormatError, match=r"row 3, column 'Report Refresh Date': 'soon'"):
        read_export("quoted.csv", "\r\n".join(lines).encode())


def test_a_mapping_file_over_the_limit_is_refused() -> None:
    from planner.errors import PlannerError
    from planner.services.community import MAX_MAPPING_BYTES, load_channel_mapping

    with pytest.raises(PlannerError, match=r"larger than 1,000,000 bytes"):
        load_channel_mapping(b"#" * (MAX_MAPPING_BYTES + 1), [], name="big.yaml")


def test_progress_is_reported_every_10000_rows() -> None:
    people = [Person(n, REFRESH) for n in range(25_000)]
    seen: list[int] = []
    export = read_export("big.csv", teams_export(people, REFRESH), on_progress=seen.append)
    assert seen == [10_000, 20_000]
    assert figures(export)["members"] == 25_000
