"""The bad-input corpus: files every reader of the planner must refuse with a message.

    python tests/data/bad/make_corpus.py        writes the small files (checked in)
    ensure(root)                                 also writes the big ones (git-ignored), which
                                                 tests/integration/test_bad_inputs.py calls

One folder per format; each file is one way a file goes wrong: truncated, a wrong encoding, a
byte order mark, another delimiter, empty, binary, huge, deeply nested, wrong types, impossible
and far-future dates, NUL characters, duplicate keys, alias bombs. Every case must be refused by
the format's real entry point (the `planner` command) with a message naming the file and, where
there is one, the line, row or field; nothing written; memory bounded.
"""

from __future__ import annotations

import codecs
import json
import random
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent

Make = Callable[[], bytes]
SMALL: dict[str, Make] = {}
BIG: dict[str, tuple[int, Make | None]] = {}
"""name -> (size, content); content None: a sparse file of that size (zeros), never read whole."""


def small(name: str) -> Callable[[Make], Make]:
    def register(make: Make) -> Make:
        SMALL[name] = make
        return make

    return register


def _binary(seed: int, size: int = 4096) -> bytes:
    return random.Random(seed).randbytes(size)


def _deep_json(levels: int) -> bytes:
    return b"[" * levels + b"]" * levels


# --- bases: one valid file per format, each case breaks it one way ---------------------------

PLAYBOOK = """title: Broken on purpose
description: A playbook file from the bad-input corpus.
tactics:
  - id: corpus-tactic
    title: A tactic
    summary: One tactic to check the file with.
    category: coaching
    purposes: [build-proficiency]
    practices: [clarify-goals]
    audiences: [employees]
    owner_role: people-manager
    effort_hours_per_week: 1
    duration_weeks: 4
    steps:
      - week: 0
        text: Start.
      - week: 1
        text: Carry on.
      - week: 3
        text: Finish.
    metrics:
      - id: corpus-metric
        name: Corpus metric
        unit: people
        aggregation: latest
        direction: higher
        target: 10
        cadence: monthly
        definition: Count the people who took part in the month.
        framework: kirkpatrick-3
    references:
      - title: A reference
        author: Someone
"""

PLAN_CSV = "tactic,title,owner,start,duration_weeks,status,notes\n,Corpus item,,2027-01-04,4,planned,ok\n"
READINGS_CSV = "item,metric,date,value,note\ncop-coalescing-launch,questions,2027-01-11,5,ok\n"
STATEMENT = {
    "actor": {"mbox": "mailto:corpus@example.org"},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/asked"},
    "object": {"id": "https://community.example.org/spaces/troubleshooting/q1"},
    "timestamp": "2027-01-11T09:00:00Z",
}
BUNDLE = {
    "format": "informal-learning-planner/bundle",
    "version": 3,
    "plan": {"id": "pl_corpus", "name": "Corpus plan", "start_date": "2027-01-04"},
    "people": [{"id": "pe_corpus", "name": "Corpus Person"}],
    "items": [{"id": "it_corpus", "title": "Corpus item", "duration_weeks": 4}],
}
MAPPING = """rules:
  - name: Questions
    verb: http://adlnet.gov/expapi/verbs/asked
    activity: https://community.example.org/spaces/troubleshooting/*
    tactic: cop-coalescing-launch
    metric: questions
    count: statements
"""


def _json(value: object) -> bytes:
    return json.dumps(value, indent=1).encode()


def _with(base: dict, path: list, value: object) -> dict:
    copy = json.loads(json.dumps(base))
    here = copy
    for part in path[:-1]:
        here = here[part]
    here[path[-1]] = value
    return copy


def _register_common(folder: str, ext: str, base: bytes, *, nul_text: bytes) -> None:
    """The cases every text format shares."""
    SMALL[f"{folder}/empty.{ext}"] = lambda: b""
    SMALL[f"{folder}/bom-only.{ext}"] = lambda: codecs.BOM_UTF8
    SMALL[f"{folder}/binary.{ext}"] = lambda: _binary(zlib.crc32(folder.encode()))
    SMALL[f"{folder}/utf16-bom.{ext}"] = lambda: codecs.BOM_UTF16_LE + base.decode().encode(
        "utf-16-le"
    )
    SMALL[f"{folder}/utf16-no-bom.{ext}"] = lambda: base.decode().encode("utf-16-be")
    if ext == "csv":  # cut inside a quoted cell: the quote never closes
        SMALL[f"{folder}/truncated.{ext}"] = lambda: base.replace(b",ok\n", b',"ok, and th')
    else:
        SMALL[f"{folder}/truncated.{ext}"] = lambda: base[: len(base) * 2 // 3]
    SMALL[f"{folder}/nul-character.{ext}"] = lambda: nul_text
    SMALL[f"{folder}/gzip.{ext}"] = lambda: b"\x1f\x8b\x08\x00" + _binary(7, 512)


# --- playbook YAML ----------------------------------------------------------------------------

_PB = PLAYBOOK.encode()
_register_common(
    "playbook", "yaml", _PB, nul_text=_PB.replace(b"A tactic", b"A \x00 tactic")
)
SMALL["playbook/latin1.yaml"] = lambda: _PB.replace(b"A tactic", "Café tactic".encode("latin-1"))
# YAML builds these as timestamps, and its constructor raised ValueError for the impossible
# ones, which took the whole library down. As titles they are text; here they are refused.
SMALL["playbook/impossible-date.yaml"] = lambda: _PB.replace(
    b"duration_weeks: 4", b"duration_weeks: 2026-02-30"
)
SMALL["playbook/impossible-time.yaml"] = lambda: _PB.replace(
    b"effort_hours_per_week: 1", b"effort_hours_per_week: 2026-01-01 25:61:00"
)
SMALL["playbook/far-future-date-title.yaml"] = lambda: _PB.replace(
    b"title: A tactic", b"title: 9999-12-31"
)
SMALL["playbook/duplicate-keys.yaml"] = lambda: _PB.replace(
    b"    duration_weeks: 4\n", b"    duration_weeks: 4\n    duration_weeks: 6\n"
)
SMALL["playbook/wrong-types.yaml"] = lambda: _PB.replace(
    b"duration_weeks: 4", b"duration_weeks: six"
).replace(b"effort_hours_per_week: 1", b"effort_hours_per_week: [1]")
SMALL["playbook/alias-bomb.yaml"] = lambda: (
    b"a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    + b"".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n".encode()
        for i in range(8)
    )
    + b"title: *i\n"
)
SMALL["playbook/deep-flow.yaml"] = lambda: b"title: x\ntactics: " + b"[" * 40 + b"]" * 40 + b"\n"
SMALL["playbook/deep-block.yaml"] = lambda: b"title: x\ntactics:\n" + b"".join(
    b"  " * (i + 1) + f"k{i}:\n".encode() for i in range(40)
)
SMALL["playbook/very-deep-flow.yaml"] = lambda: b"tactics: " + b"[" * 5000 + b"]" * 5000 + b"\n"
SMALL["playbook/top-level-list.yaml"] = lambda: b"- one\n- two\n"
SMALL["playbook/python-tag.yaml"] = lambda: b'title: !!python/object/apply:os.system ["true"]\n'
SMALL["playbook/tab-indent.yaml"] = lambda: b"title: x\ntactics:\n\t- id: a\n"
SMALL["playbook/unknown-field.yaml"] = lambda: _PB.replace(b"    metrics:", b"    metircs:")
SMALL["playbook/binary-tag.yaml"] = lambda: b"title: !!binary not*base64\n"
BIG["playbook/huge.yaml"] = (3 * 1024 * 1024, None)

# --- taxonomy YAML (a folder's taxonomy.yaml; written there by the test) -----------------------

_TX = b"purposes:\n  - id: corpus-purpose\n    title: Corpus purpose\n    description: A purpose.\n"
_register_common("taxonomy", "yaml", _TX, nul_text=_TX.replace(b"A purpose", b"A \x00 purpose"))
SMALL["taxonomy/duplicate-keys.yaml"] = lambda: _TX + b"purposes: []\n"
SMALL["taxonomy/alias-bomb.yaml"] = SMALL["playbook/alias-bomb.yaml"]
SMALL["taxonomy/impossible-date.yaml"] = lambda: _TX + b"2027-02-30: [a]\n"
SMALL["taxonomy/wrong-types.yaml"] = lambda: b"purposes: 5\npractices: {a: b}\n"
SMALL["taxonomy/unknown-field.yaml"] = lambda: _TX + b"porpoises: []\n"
SMALL["taxonomy/deep.yaml"] = lambda: b"purposes: " + b"[" * 40 + b"]" * 40 + b"\n"
SMALL["taxonomy/top-level-list.yaml"] = lambda: b"- a\n"
BIG["taxonomy/huge.yaml"] = (3 * 1024 * 1024, None)

# --- plan CSV -----------------------------------------------------------------------------------

_PC = PLAN_CSV.encode()
_register_common("plan_csv", "csv", _PC, nul_text=_PC.replace(b",ok", b",o\x00k"))
SMALL["plan_csv/header-only.csv"] = lambda: _PC.splitlines()[0] + b"\n"
SMALL["plan_csv/latin1.csv"] = lambda: _PC.replace(b"Corpus item", "Café".encode("latin-1"))
SMALL["plan_csv/semicolons.csv"] = lambda: _PC.replace(b",", b";")
SMALL["plan_csv/tabs.csv"] = lambda: _PC.replace(b",", b"\t")
SMALL["plan_csv/far-future-date.csv"] = lambda: _PC.replace(b"2027-01-04", b"9999-12-31")
SMALL["plan_csv/ancient-date.csv"] = lambda: _PC.replace(b"2027-01-04", b"0999-01-04")
SMALL["plan_csv/impossible-date.csv"] = lambda: _PC.replace(b"2027-01-04", b"2027-02-30")
SMALL["plan_csv/wrong-types.csv"] = lambda: _PC.replace(b",4,", b",six,")
SMALL["plan_csv/duplicate-columns.csv"] = lambda: b"title,title\nA,B\n"
SMALL["plan_csv/unknown-column.csv"] = lambda: b"title,colour\nA,red\n"
SMALL["plan_csv/extra-cells.csv"] = lambda: _PC.replace(b",ok\n", b",ok,extra,more\n")
SMALL["plan_csv/long-cell.csv"] = lambda: _PC.replace(b",ok", b"," + b"n" * 10_001)
SMALL["plan_csv/bad-status.csv"] = lambda: _PC.replace(b"planned", b"finished")
SMALL["plan_csv/no-header.csv"] = lambda: b",,,\n"
BIG["plan_csv/too-many-rows.csv"] = (
    0,
    lambda: b"title\n" + b"".join(f"Item {n}\n".encode() for n in range(5_001)),
)
BIG["plan_csv/huge-cell.csv"] = (0, lambda: b"title,notes\nA," + b"x" * 200_000 + b"\n")
BIG["plan_csv/huge.csv"] = (6 * 1024 * 1024, None)

# --- readings CSV -------------------------------------------------------------------------------

_RC = READINGS_CSV.encode()
_register_common("readings_csv", "csv", _RC, nul_text=_RC.replace(b",ok", b",o\x00k"))
SMALL["readings_csv/header-only.csv"] = lambda: _RC.splitlines()[0] + b"\n"
SMALL["readings_csv/semicolons.csv"] = lambda: _RC.replace(b",", b";")
SMALL["readings_csv/far-future-date.csv"] = lambda: _RC.replace(b"2027-01-11", b"9999-01-11")
SMALL["readings_csv/ancient-date.csv"] = lambda: _RC.replace(b"2027-01-11", b"1066-10-14")
SMALL["readings_csv/impossible-date.csv"] = lambda: _RC.replace(b"2027-01-11", b"2027-02-30")
SMALL["readings_csv/comma-decimal.csv"] = lambda: _RC.replace(b",5,", b',"5,5",')
SMALL["readings_csv/infinite-value.csv"] = lambda: _RC.replace(b",5,", b",1e400,")
SMALL["readings_csv/nan-value.csv"] = lambda: _RC.replace(b",5,", b",nan,")
SMALL["readings_csv/unknown-item.csv"] = lambda: _RC.replace(b"cop-coalescing-launch", b"nope")
SMALL["readings_csv/long-cell.csv"] = lambda: _RC.replace(b",ok", b"," + b"n" * 10_001)
SMALL["readings_csv/missing-columns.csv"] = lambda: b"item,value\nx,1\n"
BIG["readings_csv/too-many-rows.csv"] = (
    0,
    lambda: b"item,metric,date,value\n"
    + b"cop-coalescing-launch,questions,2027-01-11,1\n" * 100_001,
)
BIG["readings_csv/huge.csv"] = (21 * 1024 * 1024, None)

# --- xAPI JSON ------------------------------------------------------------------------------------

_XA = _json([STATEMENT])
SMALL["xapi/binary.json"] = lambda: _binary(11)
SMALL["xapi/utf16-bom.json"] = lambda: codecs.BOM_UTF16_LE + _XA.decode().encode("utf-16-le")
SMALL["xapi/truncated.json"] = lambda: _XA[: len(_XA) // 2]
SMALL["xapi/not-json.json"] = lambda: b"actor,verb,object\n"
SMALL["xapi/nested-arrays.json"] = lambda: _deep_json(20_000)
SMALL["xapi/nested-statement-result.json"] = lambda: b'{"statements": ' + _deep_json(20_000) + b"}"
SMALL["xapi/nested-json-lines.jsonl"] = lambda: json.dumps(STATEMENT).encode() + b"\n" + (
    b'{"a": ' * 40 + b"1" + b"}" * 40 + b"\n"
)
SMALL["xapi/nested-extension.json"] = lambda: _json(
    [_with(STATEMENT, ["context"], {"extensions": {"http://e/x": json.loads(_deep_json(40))}})]
)
SMALL["xapi/far-future-timestamp.json"] = lambda: _json(
    [_with(STATEMENT, ["timestamp"], "9999-12-31T00:00:00Z")]
)
SMALL["xapi/ancient-stored.json"] = lambda: _json(
    [{**{k: v for k, v in STATEMENT.items() if k != "timestamp"}, "stored": "0001-01-01T00:00:00Z"}]
)
SMALL["xapi/impossible-date.json"] = lambda: _json(
    [_with(STATEMENT, ["timestamp"], "2027-02-30T09:00:00Z")]
)
SMALL["xapi/nul-in-verb.json"] = lambda: _json(
    [_with(STATEMENT, ["verb", "id"], "http://adlnet.gov/expapi/verbs/\u0000asked")]
)
SMALL["xapi/wrong-types.json"] = lambda: _json([_with(STATEMENT, ["actor"], "corpus@example.org")])
SMALL["xapi/number-statements.json"] = lambda: b"[1, 2, 3]"
SMALL["xapi/duplicate-keys.json"] = lambda: _XA.replace(
    b'"timestamp"', b'"verb": "asked twice", "timestamp"', 1
)
SMALL["xapi/latin1-lines.jsonl"] = lambda: json.dumps(STATEMENT).replace(
    "corpus", "caf\u00e9"
).encode("latin-1")
SMALL["xapi/bom-then-garbage.json"] = lambda: codecs.BOM_UTF8 + b"garbage"
BIG["xapi/nested-arrays-200k.json"] = (0, lambda: _deep_json(100_000))
BIG["xapi/nested-arrays-5m.json"] = (0, lambda: _deep_json(2_500_000))

# --- plan bundle -----------------------------------------------------------------------------------

_BU = _json(BUNDLE)
SMALL["bundle/empty.json"] = lambda: b""
SMALL["bundle/binary.json"] = lambda: _binary(13)
SMALL["bundle/utf16-bom.json"] = lambda: codecs.BOM_UTF16_LE + _BU.decode().encode("utf-16-le")
SMALL["bundle/truncated.json"] = lambda: _BU[: len(_BU) // 2]
SMALL["bundle/nested.json"] = lambda: b'{"format": "informal-learning-planner/bundle", "x": ' + _deep_json(
    10_000
) + b"}"
SMALL["bundle/nested-snapshot.json"] = lambda: _json(
    {
        **BUNDLE,
        "reviews": [
            {
                "id": "rv_corpus",
                "date": "2027-02-01",
                "snapshot": {"as_of": "2027-02-01", "adoption_index": None, "rows": json.loads(_deep_json(40)), "items": []},
                "recorded_at": "2027-02-01T10:00:00Z",
            }
        ],
    }
)
SMALL["bundle/far-future-start.json"] = lambda: _json(_with(BUNDLE, ["plan", "start_date"], "9999-12-31"))
SMALL["bundle/ancient-pinned-start.json"] = lambda: _json(
    _with(BUNDLE, ["items", 0, "pinned_start"], "1899-12-31")
)
SMALL["bundle/impossible-date.json"] = lambda: _json(_with(BUNDLE, ["plan", "start_date"], "2027-02-30"))
SMALL["bundle/far-future-activity.json"] = lambda: _json(
    {
        **BUNDLE,
        "activity": [
            {"at": "9999-01-01T00:00:00Z", "actor": "a", "action": "create", "entity": "plan",
             "entity_id": "pl_corpus", "summary": "x"}
        ],
    }
)
SMALL["bundle/nul-in-name.json"] = lambda: _json(_with(BUNDLE, ["plan", "name"], "Corpus\u0000plan"))
SMALL["bundle/wrong-types.json"] = lambda: _json(_with(BUNDLE, ["items", 0, "duration_weeks"], "4"))
SMALL["bundle/newer-version.json"] = lambda: _json(_with(BUNDLE, ["version"], 99))
SMALL["bundle/not-a-bundle.json"] = lambda: b'{"hello": "world"}'
SMALL["bundle/duplicate-people.json"] = lambda: _json(
    _with(BUNDLE, ["people"], [BUNDLE["people"][0], BUNDLE["people"][0]])  # type: ignore[index]
)
SMALL["bundle/duplicate-keys.json"] = lambda: _BU.replace(
    b'"version": 3', b'"version": 3, "version": "three"'
)
SMALL["bundle/items-not-list.json"] = lambda: _json(_with(BUNDLE, ["items"], {"a": 1}))
SMALL["bundle/nan-threshold.json"] = lambda: _BU.replace(
    b'"name": "Corpus plan"', b'"name": "Corpus plan", "at_risk_threshold": NaN'
)
BIG["bundle/huge.json"] = (51 * 1024 * 1024, None)

# --- mapping YAML ----------------------------------------------------------------------------------

_MP = MAPPING.encode()
_register_common("mapping", "yaml", _MP, nul_text=_MP.replace(b"Questions", b"Ques\x00tions"))
SMALL["mapping/alias-bomb.yaml"] = SMALL["playbook/alias-bomb.yaml"]
SMALL["mapping/duplicate-keys.yaml"] = lambda: _MP + b"    metric: answers\n"
SMALL["mapping/impossible-date-metric.yaml"] = lambda: _MP.replace(
    b"metric: questions", b"metric: 2026-02-30"
)
SMALL["mapping/deep.yaml"] = lambda: b"rules: " + b"[" * 40 + b"]" * 40 + b"\n"
SMALL["mapping/long-pattern.yaml"] = lambda: _MP.replace(
    b"troubleshooting/*", b"troubleshooting/" + b"*a" * 1200 + b"*"
)
SMALL["mapping/unknown-item.yaml"] = lambda: _MP.replace(b"cop-coalescing-launch", b"nope")
SMALL["mapping/wrong-count.yaml"] = lambda: _MP.replace(b"count: statements", b"count: 3")
SMALL["mapping/rules-not-list.yaml"] = lambda: b"rules: {a: b}\n"
SMALL["mapping/not-iri.yaml"] = lambda: _MP.replace(b"http://adlnet.gov/expapi/verbs/asked", b"asked")
BIG["mapping/huge.yaml"] = (2 * 1024 * 1024 + 1, None)


# --- community tool exports (read by `planner readings import --format auto`) ------------------

TEAMS_HEADER = (
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


def _teams_row(n: int) -> str:
    return (
        f"2026-11-29,Example Org,,00000000-0000-0000-0000-{n:012d},person{n:04d}@example.org,"
        "2026-11-28,False,,MICROSOFT 365 E3+MICROSOFT TEAMS,2,3,0,0,0,0,0,0,0,0,0,0,0,0,0,"
        "PT0S,PT0S,PT0S,0,0,0,No,Yes,30"
    )


TEAMS_CSV = "\r\n".join([TEAMS_HEADER, *(_teams_row(n) for n in range(3))]) + "\r\n"
SLACK_NAME = "Acme Member Analytics Prior 30 Days - Nov 29, 2026.csv"
SLACK_CSV = (
    "Date,User ID,Name,What I do,Account type,Account created (UTC),Claimed Date (UTC),"
    "Deactivated date (UTC),Days active,Days active (Desktop),Days active (Android),"
    "Days active (iOS),Messages posted,Messages posted in channels,Reactions added,"
    "Last active (UTC),Email\n"
    + "".join(
        f'"Nov 29, 2026",U{n:08d},person{n},,Member,"Jan 4, 2026","Jan 4, 2026",,3,3,0,0,1,1,2,'
        f'"Nov 28, 2026",person{n:04d}@example.org\n'
        for n in range(3)
    )
)
COMMUNITY_ARGS: dict[str, list[str]] = {}
"""Options a case is imported with besides the file (the rest: --plan, --item, --format auto)."""

_TM = TEAMS_CSV.encode()
_register_common(
    "community", "csv", _TM, nul_text=_TM.replace(b"Example Org", b"Example\x00Org", 1)
)
SMALL["community/truncated.csv"] = lambda: _TM[: _TM.rindex(b"MICROSOFT 365")] + b'"MICROSOFT 3'
SMALL["community/header-only.csv"] = lambda: _TM.split(b"\r\n")[0] + b"\r\n"
SMALL["community/latin1.csv"] = lambda: _TM.replace(b"Example Org", "Café Org".encode("latin-1"))
SMALL["community/bom-utf16-be.csv"] = lambda: codecs.BOM_UTF16_BE + _TM.decode().encode("utf-16-be")
SMALL["community/bom-utf32.csv"] = lambda: codecs.BOM_UTF32_LE + _TM.decode().encode("utf-32-le")
SMALL["community/semicolons.csv"] = lambda: _TM.replace(b",", b";")
SMALL["community/tabs.csv"] = lambda: _TM.replace(b",", b"\t")
SMALL["community/pipes.csv"] = lambda: _TM.replace(b",", b"|")
SMALL["community/renamed-column.csv"] = lambda: _TM.replace(
    b"Report Refresh Date", b"Refresh Date", 1
)
SMALL["community/missing-column.csv"] = lambda: _TM.replace(b",Report Period", b"", 1)
SMALL["community/duplicate-columns.csv"] = lambda: _TM.replace(
    b"Report Period", b"Report Refresh Date", 1
)
SMALL["community/text-in-number.csv"] = lambda: _TM.replace(
    b"MICROSOFT TEAMS,2,3,", b"MICROSOFT TEAMS,lots,3,", 1
)
SMALL["community/negative-count.csv"] = lambda: _TM.replace(
    b"MICROSOFT TEAMS,2,3,", b"MICROSOFT TEAMS,-2,3,", 1
)
SMALL["community/huge-period.csv"] = lambda: _TM.replace(b",Yes,30", b",Yes,999999999")
SMALL["community/text-in-period.csv"] = lambda: _TM.replace(b",Yes,30", b",Yes,thirty", 1)
SMALL["community/impossible-date.csv"] = lambda: _TM.replace(b"2026-11-29", b"2026-02-30")
SMALL["community/impossible-activity-date.csv"] = lambda: _TM.replace(
    b"2026-11-28", b"2026-13-28", 1
)
SMALL["community/far-future-date.csv"] = lambda: _TM.replace(b"2026-11-29", b"9999-11-29")
SMALL["community/ancient-date.csv"] = lambda: _TM.replace(b"2026-11-29", b"1066-10-14")
SMALL["community/extra-cells.csv"] = lambda: _TM.replace(b",Yes,30\r\n", b",Yes,30,x,y\r\n", 1)
SMALL["community/long-cell.csv"] = lambda: _TM.replace(b"Example Org", b"n" * 100_001, 1)
SMALL["community/unknown-export.csv"] = lambda: b"colour,size\nred,3\n"
SMALL["community/no-header.csv"] = lambda: b",,,\n,,,\n"
SMALL["community/html-page.csv"] = lambda: b"<!DOCTYPE html><html><body>Sign in</body></html>\n"
SMALL["community/slack-no-window-in-name.csv"] = lambda: SLACK_CSV.encode()
SMALL[f"community/{SLACK_NAME}"] = lambda: SLACK_CSV.encode()
# The file name says 30 days to 29 Nov 2026; the window given says otherwise.
COMMUNITY_ARGS[f"community/{SLACK_NAME}"] = ["--window-end", "2026-11-22", "--window-days", "7"]
SMALL["community/Acme Member Analytics Prior 30 Days - Feb 30, 2026.csv"] = lambda: (
    SLACK_CSV.encode()
)
SMALL["community/Acme Member Analytics Prior 30 Days - Nov 29, 9999.csv"] = lambda: (
    SLACK_CSV.encode()
)
SMALL["community/user-list-261129-1200.csv"] = lambda: b"id,name,username,email\n1,A,a,a@x\n"
BIG["community/huge.csv"] = (21 * 1024 * 1024, None)
BIG["community/huge-line.csv"] = (0, lambda: _TM.split(b"\r\n")[0] + b"\r\n" + b"x," * 600_000)


# --- writing ---------------------------------------------------------------------------------------


def cases() -> list[str]:
    """Every case, as `format/file`, in a stable order."""
    return sorted([*SMALL, *BIG])


def write_small(root: Path = ROOT) -> int:
    for name, make in SMALL.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = make()
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
    return len(SMALL)


def ensure(root: Path = ROOT) -> None:
    """The small files as checked in, and the big ones generated (skipped when present)."""
    write_small(root)
    for name, (size, make) in BIG.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and (make is not None or path.stat().st_size == size):
            continue
        if make is None:
            with path.open("wb") as handle:
                handle.truncate(size)  # sparse: takes no disk space, and is never read whole
        else:
            path.write_bytes(make())


if __name__ == "__main__":
    print(f"{write_small()} small files written under {ROOT}; {len(BIG)} big ones by ensure()")
    sys.exit(0)
