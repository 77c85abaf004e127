"""A review workbook (openpyxl): sheets Summary, Items, Metrics, Readings, Actions, Reviews.

Every sheet has a frozen, bold header row and set column widths. Statuses are cells holding
the status word and filled with its colour (`planner.domain.theme.PROGRESS_COLORS`). Dates are date
cells with a `d mmm yyyy` number format; numbers stay numbers; every text cell goes through
`planner.exchange.csvsafe.neutralise` (a leading `'` on text a spreadsheet would run as a
formula), after removing the control characters XML cannot hold (all but tab, line feed and
carriage return: openpyxl refuses them, so one pasted into a title would stop the export).
Actuals and reading values counting fewer than five distinct people read "< 5".
Actions lists the action items as they stood on the as-of date (open ones first); Reviews the
reviews held up to it (attendees, adoption index then, decisions one a line, notes) and the
planned review dates, by date.

Deterministic: the workbook's created and modified properties are midnight of the as-of date,
and every part of the zip carries that date (the nearest a zip can hold, 1980 to 2107), so
the same plan as of the same date gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from planner.domain.progress import rounded
from planner.domain.theme import PROGRESS_COLORS, WORK_COLORS
from planner.exchange.csvsafe import neutralise
from planner.exchange.report import DROPPED, NO_ACTIONS, NO_REVIEWS, Report, headline_counts

SHEETS = ("Summary", "Items", "Metrics", "Readings", "Actions", "Reviews")
DATE_FORMAT = "d mmm yyyy"
PERCENT_FORMAT = "0%"

_HEADER_FONT = Font(bold=True)
_STATUS_COLORS = {**PROGRESS_COLORS, DROPPED: WORK_COLORS[DROPPED]}


def _fill(status: str) -> tuple[PatternFill, Font]:
    """The status colour as a fill, with white or dark text, whichever reads better."""
    colour = _STATUS_COLORS.get(status, "#FFFFFF").lstrip("#").upper()
    r, g, b = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    light = 0.299 * r + 0.587 * g + 0.114 * b > 150
    return (
        PatternFill(fill_type="solid", fgColor="FF" + colour, bgColor="FF" + colour),
        Font(bold=True, color="FF1F2A30" if light else "FFFFFFFF"),
    )


def _text(text: str) -> str:
    """Text a worksheet can hold (no control characters but tab and line breaks), neutralised."""
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", text))


def _value(value: object) -> object:
    """A cell value: text as `_text`; numbers, dates and None as they are."""
    if isinstance(value, str):
        return _text(value)
    return value


def _sheet(
    ws: Worksheet,
    headers: Sequence[str],
    widths: Sequence[int],
    rows: Sequence[Sequence[object]],
    *,
    status_columns: Sequence[int] = (),
    percent_columns: Sequence[int] = (),
    autofilter: bool = True,
) -> None:
    ws.append([_text(h) for h in headers])
    for cell in ws[1]:
        cell.font = _HEADER_FONT
    ws.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    for row in rows:
        ws.append([_value(v) for v in row])
        line: tuple[Cell, ...] = ws[ws.max_row]
        for cell in line:
            if isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
        for column in status_columns:
            cell = line[column]
            if isinstance(cell.value, str) and cell.value:
                cell.fill, cell.font = _fill(cell.value)
        for column in percent_columns:
            if isinstance(line[column].value, int | float):
                line[column].number_format = PERCENT_FORMAT
    if autofilter:
        # A filter and sort button on every column header, over the table's rows.
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(ws.max_row, 2)}"


def workbook_of(report: Report) -> Workbook:
    """The workbook (see the module docstring): one sheet per `SHEETS`, in that order."""
    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = "Summary"
    _summary_sheet(summary, report)
    _items_sheet(wb.create_sheet("Items"), report)
    _metrics_sheet(wb.create_sheet("Metrics"), report)
    _readings_sheet(wb.create_sheet("Readings"), report)
    _actions_sheet(wb.create_sheet("Actions"), report)
    _reviews_sheet(wb.create_sheet("Reviews"), report)
    plan = report.plan
    stamp = datetime(report.as_of.year, report.as_of.month, report.as_of.day)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "Informal Learning Planner"
    wb.properties.title = ILLEGAL_CHARACTERS_RE.sub("", plan.name)
    return wb


def _summary_sheet(summary: Worksheet, report: Report) -> None:
    """The plan's figures, then the items per progress status (each in its colour)."""
    plan = report.plan
    rows: list[list[object]] = [
        ["Plan", plan.name],
        ["Plan id", plan.id],
        ["As of", report.as_of],
        ["Lead", report.lead],
        ["Start", report.first_day],
        ["End", report.last_day],
        ["Review cadence", plan.review_cadence],
        ["Next review", report.next_review],
        [
            "Adoption index",
            None if report.adoption_index is None else round(report.adoption_index, 2),
        ],
        [
            "Index coverage",
            str(report.coverage) if report.coverage is not None else "",
        ],
        ["Overdue items", report.overdue],
    ]
    rows += [[status, count] for status, count in headline_counts(report)]
    _sheet(summary, ["What", "Value"], [22, 48], rows, autofilter=False)
    summary["B10"].number_format = PERCENT_FORMAT
    for offset, (status, _) in enumerate(headline_counts(report)):
        cell = summary.cell(row=13 + offset, column=1)
        cell.fill, cell.font = _fill(status)


def _items_sheet(sheet: Worksheet, report: Report) -> None:
    """One row per item, in plan order."""
    _sheet(
        sheet,
        [
            "item id",
            "item",
            "category",
            "owner",
            "team",
            "start",
            "end",
            "work status",
            "status",
            "last reading",
            "stories",
            "overdue",
            "notes",
        ],
        [16, 44, 16, 20, 16, 13, 13, 13, 13, 13, 9, 9, 60],
        [
            [
                i.id,
                i.title,
                i.category,
                i.owner,
                i.team,
                i.start,
                i.last_day,
                i.work_status,
                i.status,
                i.last_reading,
                i.stories,
                "yes" if i.overdue else "no",
                i.notes,
            ]
            for i in report.items
        ],
        status_columns=[8],
    )


def _metrics_sheet(sheet: Worksheet, report: Report) -> None:
    """One row per item-metric, as of the report's date."""
    _sheet(
        sheet,
        [
            "item id",
            "item",
            "metric",
            "unit",
            "status",
            "actual",
            "target",
            "expected",
            "progress",
            "last reading",
            "due",
            "baseline",
            "baseline from",
            "compared",
        ],
        [16, 44, 32, 12, 13, 10, 10, 10, 10, 13, 13, 10, 14, 48],
        [
            [
                i.id,
                i.title,
                m.name,
                m.unit,
                m.status,
                m.actual if isinstance(m.actual, str) else rounded(m.actual, count=m.count),
                rounded(m.target, count=m.count),
                rounded(m.expected, count=m.count),
                None if m.progress is None else round(m.progress, 2),
                m.last_reading,
                m.due,
                rounded(m.baseline, count=m.count),
                m.baseline_source or "",
                m.compared,
            ]
            for i in report.items
            for m in i.metrics
        ],
        status_columns=[4],
        percent_columns=[8],
    )


def _readings_sheet(sheet: Worksheet, report: Report) -> None:
    """The readings up to the report's date."""
    _sheet(
        sheet,
        ["item id", "item", "metric", "period", "date", "value", "source", "note"],
        [16, 44, 32, 11, 13, 10, 10, 60],
        [
            [
                r.item_id,
                r.item_title,
                r.metric_name,
                r.period,
                r.date,
                r.value if isinstance(r.value, str) else rounded(r.value),
                r.source,
                r.note,
            ]
            for r in report.readings
        ],
    )


def _actions_sheet(sheet: Worksheet, report: Report) -> None:
    """The action items as they stood on the report's date (or a line saying none)."""
    _sheet(
        sheet,
        ["action", "owner", "due", "status", "raised at review", "closed at review", "overdue"],
        [60, 20, 13, 13, 16, 16, 9],
        [
            [
                a.text,
                a.owner,
                a.due,
                a.status,
                a.raised_at,
                a.closed_at,
                "yes" if a.overdue else "no",
            ]
            for a in report.actions
        ]
        or [[NO_ACTIONS]],
    )


def _reviews_sheet(reviews: Worksheet, report: Report) -> None:
    """Reviews held and planned, by date (held ones of one day in the order held)."""
    held_days = {r.date for r in report.held}
    review_rows: list[tuple[date, int, list[object]]] = [
        (
            r.date,
            -n,  # the same day: in the order held (report.held is newest first)
            [
                r.date,
                "held",
                ", ".join(r.attendees),
                None if r.adoption_index is None else round(r.adoption_index, 2),
                "\n".join(r.decisions),
                r.notes,
            ],
        )
        for n, r in enumerate(report.held)
    ]
    planned = sorted({*report.reviews, report.next_review} - held_days)
    review_rows += [(day, 0, [day, "planned", None, None, None, None]) for day in planned]
    review_rows.sort(key=lambda row: (row[0], row[1]))
    _sheet(
        reviews,
        ["date", "status", "attendees", "adoption index", "decisions", "notes"],
        [13, 10, 30, 15, 60, 60],
        [row for _, _, row in review_rows] + ([] if report.held else [[None], [NO_REVIEWS]]),
        percent_columns=[3],
    )
    for line in reviews.iter_rows(min_row=2, min_col=5, max_col=6):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


_ZIP_FIRST, _ZIP_LAST = date(1980, 1, 1), date(2107, 12, 31)


def xlsx_bytes(report: Report) -> bytes:
    """The workbook's bytes, the same for the same report (see the module docstring)."""
    wb = workbook_of(report)
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()  # unlike `Workbook.save`, keeps `modified` as set
    # A zip entry's date holds the years 1980 to 2107 only: an as-of date outside them (the
    # planner takes 1900 to 2999) stamps the nearest end of that range.
    day = min(max(report.as_of, _ZIP_FIRST), _ZIP_LAST)
    stamp = (day.year, day.month, day.day, 0, 0, 0)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
