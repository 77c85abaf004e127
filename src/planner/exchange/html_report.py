"""A self-contained HTML review report: one file, no scripts, no network, prints cleanly.

Headline (adoption index, items by status as a stacked SVG bar), the items that need
attention (off track, then at risk), the other items, each item's metrics with a progress bar
drawn in inline SVG, then the action items (open ones first) and the reviews held up to the
date (attendees, adoption index then, decisions, notes) with the planned review dates. Status is
always a word on its colour (`planner.domain.theme.PROGRESS_COLORS`). Every user-written text goes
through `html.escape`. A print stylesheet drops the background tints and keeps tables whole.
Same plan and as-of date, same bytes (UTF-8).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from planner.domain.planning import format_day
from planner.domain.progress import baseline_text
from planner.domain.theme import ACCENT, FONT, GRID, INK, MUTED, PROGRESS_COLORS, WORK_COLORS
from planner.exchange.report import (
    DROPPED,
    NO_ACTIONS,
    NO_REVIEWS,
    Report,
    ReportAction,
    ReportItem,
    ReportReview,
    headline_counts,
    number,
    percent,
)

_COLORS = {**PROGRESS_COLORS, DROPPED: WORK_COLORS[DROPPED]}
_DARK_TEXT = {"no data", "not started", "no target", "baseline only", DROPPED}

_STYLE = f"""
body {{ font-family: {FONT}; color: {INK}; margin: 2rem auto; max-width: 72rem;
  padding: 0 1rem; line-height: 1.4; }}
h1 {{ font-size: 1.6rem; margin-bottom: 0.2rem; }}
h2 {{ font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid {GRID}; }}
h3 {{ font-size: 1.05rem; margin: 1.2rem 0 0.3rem; }}
h4 {{ font-size: 0.95rem; margin: 0.6rem 0 0.2rem; }}
.meta, .empty {{ color: {MUTED}; }}
.index {{ font-size: 2.4rem; font-weight: 700; color: {ACCENT}; }}
table {{ border-collapse: collapse; width: 100%; font-size: 0.9rem; }}
th, td {{ text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid {GRID};
  vertical-align: top; }}
th {{ font-weight: 600; }}
.status {{ display: inline-block; padding: 0.05rem 0.45rem; border-radius: 0.25rem;
  font-weight: 600; color: #FFFFFF; white-space: nowrap; }}
.status.light {{ color: {INK}; }}
.notes {{ color: {MUTED}; font-size: 0.85rem; }}
.legend span {{ margin-right: 1rem; }}
@media print {{
  body {{ margin: 0; max-width: none; font-size: 10pt; }}
  h2 {{ break-after: avoid; }}
  tr, svg, section {{ break-inside: avoid; }}
  .status {{ -webkit-print-color-adjust: exact; print-color-adjust: exact;
    border: 1px solid {INK}; }}
  a {{ color: inherit; text-decoration: none; }}
}}
"""


def _status(status: str) -> str:
    """The status word on its colour."""
    light = " light" if status in _DARK_TEXT else ""
    colour = _COLORS.get(status, "#FFFFFF")
    return f'<span class="status{light}" style="background:{colour}">{escape(status)}</span>'


def _day(day: date | None) -> str:
    return format_day(day) if day else "—"


def _counts_bar(report: Report) -> str:
    """Items by status as one stacked bar, each segment labelled in the legend."""
    counts = [(s, c) for s, c in headline_counts(report) if c]
    total = sum(c for _, c in counts)
    if not total:
        return '<p class="empty">No items to count.</p>'
    x = 0.0
    parts = []
    for status, count in counts:
        width = 600 * count / total
        parts.append(
            f'<rect x="{x:.2f}" y="0" width="{width:.2f}" height="24" '
            f'fill="{_COLORS[status]}"><title>{escape(status)}: {count}</title></rect>'
        )
        x += width
    legend = "".join(
        f"<span>{_status(status)} {count}</span>" for status, count in headline_counts(report)
    )
    return (
        '<svg role="img" aria-label="Items by status" width="600" height="24" '
        f'viewBox="0 0 600 24" xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>'
        f'<p class="legend">{legend}</p>'
    )


def _progress_bar(progress: float | None, status: str) -> str:
    if progress is None:
        return ""
    width = 100 * min(max(progress, 0.0), 1.0)
    return (
        '<svg width="100" height="10" viewBox="0 0 100 10" xmlns="http://www.w3.org/2000/svg">'
        f'<rect width="100" height="10" fill="{GRID}"/>'
        f'<rect width="{width:.1f}" height="10" fill="{_COLORS.get(status, ACCENT)}"/></svg>'
    )


def _items_table(items: Sequence[ReportItem]) -> str:
    if not items:
        return '<p class="empty">None.</p>'
    rows = []
    for item in items:
        overdue = " <strong>(overdue)</strong>" if item.overdue else ""
        notes = f'<div class="notes">{escape(item.notes)}</div>' if item.notes else ""
        rows.append(
            f'<tr id="item-{escape(item.id)}"><td>{escape(item.title)}{notes}</td>'
            f"<td>{escape(item.owner) or '—'}</td><td>{_status(item.status)}</td>"
            f"<td>{_day(item.last_reading)}</td>"
            f"<td>{_day(item.start)} – {_day(item.last_day)}{overdue}</td>"
            f"<td>{escape(item.work_status)}</td><td>{item.stories}</td></tr>"
        )
    return (
        "<table><thead><tr><th>Item</th><th>Owner</th><th>Status</th><th>Last reading</th>"
        "<th>Dates</th><th>Work</th><th>Stories</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _metrics_table(report: Report) -> str:
    rows = []
    for item in report.items:
        for m in item.metrics:
            count = m.count
            rows.append(
                f"<tr><td>{escape(item.title)}</td><td>{escape(m.name)} "
                f'<span class="notes">({escape(m.unit)})</span></td>'
                f"<td>{_status(m.status)}</td><td>{escape(number(m.actual, count=count))}</td>"
                f"<td>{escape(number(m.target, count=count))}</td>"
                f"<td>{escape(number(m.expected, count=count))}</td>"
                f"<td>{escape(baseline_text(m.baseline, m.baseline_source, count=count))}</td>"
                f"<td>{percent(m.progress)} "
                f"{_progress_bar(m.progress, m.status)}</td><td>{_day(m.last_reading)}</td>"
                f"<td>{_day(m.due)}</td></tr>"
            )
    if not rows:
        return '<p class="empty">No metrics.</p>'
    return (
        "<table><thead><tr><th>Item</th><th>Metric</th><th>Status</th><th>Actual</th>"
        f"<th>Target</th><th>Expected by {_day(report.as_of)}</th><th>Baseline</th>"
        "<th>Progress</th><th>Last reading</th><th>Due</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _actions_table(actions: Sequence[ReportAction]) -> str:
    if not actions:
        return f'<p class="empty">{escape(NO_ACTIONS)}</p>'
    rows = []
    for action in actions:
        overdue = " <strong>(overdue)</strong>" if action.overdue else ""
        rows.append(
            f'<tr id="action-{escape(action.id)}"><td>{escape(action.text)}</td>'
            f"<td>{escape(action.owner) or '—'}</td><td>{_day(action.due)}{overdue}</td>"
            f"<td><strong>{escape(action.status)}</strong></td>"
            f"<td>{_day(action.raised_at)}</td></tr>"
        )
    return (
        "<table><thead><tr><th>Action</th><th>Owner</th><th>Due</th><th>Status</th>"
        "<th>Raised at review</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


def _review_section(review: ReportReview) -> str:
    attendees = ", ".join(escape(a) for a in review.attendees) or "—"
    decisions = (
        "<ul>" + "".join(f"<li>{escape(d)}</li>" for d in review.decisions) + "</ul>"
        if review.decisions
        else '<p class="empty">No decisions.</p>'
    )
    notes = f'<p class="notes">{escape(review.notes)}</p>' if review.notes else ""
    return (
        f'<section id="review-{escape(review.id)}"><h3>Review of {_day(review.date)}</h3>'
        f"<p>Attendees: {attendees} · Adoption index then: "
        f"{percent(review.adoption_index)}</p><h4>Decisions</h4>{decisions}{notes}</section>"
    )


def html_report(report: Report) -> str:
    """The report as one HTML document (see the module docstring)."""
    plan = report.plan
    lead = f" · lead {escape(report.lead)}" if report.lead else ""
    planned = (
        "<h3>Planned review dates</h3><ul>"
        + "".join(f"<li>{_day(d)}</li>" for d in report.reviews)
        + "</ul>"
        if report.reviews
        else ""
    )
    held = (
        "".join(_review_section(r) for r in report.held)
        if report.held
        else f'<p class="empty">{escape(NO_REVIEWS)}</p>'
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(plan.name)}: review report, {_day(report.as_of)}</title>"
        f"<style>{_STYLE}</style></head><body>"
        f"<h1>{escape(plan.name)}</h1>"
        f'<p class="meta">Review report as of {_day(report.as_of)} · plan runs '
        f"{_day(report.first_day)} – {_day(report.last_day)} · reviews "
        f"{escape(plan.review_cadence)}{lead}</p>"
        "<h2>Headline</h2>"
        f'<p>Adoption index <span class="index">{percent(report.adoption_index)}</span>'
        + (
            f' <span class="meta">{escape(str(report.coverage))}: metrics without data, '
            "without a target or with only a baseline are left out</span>"
            if report.coverage is not None
            else ""
        )
        + "</p>"
        f"{_counts_bar(report)}"
        f"<p>Overdue items: {report.overdue} · Next review: {_day(report.next_review)}</p>"
        "<h2>Needs attention</h2>"
        f"{_items_table(report.attention())}"
        "<h2>Other items</h2>"
        f"{_items_table(report.others())}"
        "<h2>Metrics</h2>"
        f"{_metrics_table(report)}"
        "<h2>Action items</h2>"
        f"{_actions_table(report.actions)}"
        "<h2>Reviews</h2>"
        f"{held}{planned}"
        "</body></html>\n"
    )


def html_bytes(report: Report) -> bytes:
    return html_report(report).encode("utf-8")
