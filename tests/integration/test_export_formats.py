"""One registry of export formats (planner.services.exports): the CLI's --format choices and the
dashboard's downloads read it, and each entry makes the same bytes as its format module."""

from __future__ import annotations

import argparse
from datetime import date

import pytest
from sqlalchemy import Engine

from planner.cli import build_parser
from planner.errors import PlannerError
from planner.exchange.playbooks import load_default_library
from planner.services.bundles import export_bundle
from planner.services.exports import (
    EXPORT_FORMATS,
    FORMAT_NAMES,
    export_format,
    export_plan,
    report_formats,
)
from planner.services.reports import export_review_csv, export_xlsx
from planner.services.sample import create_sample_plan

AS_OF = date(2027, 3, 15)


def _export_choices() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    export = sub.choices["export"]
    (fmt,) = [a for a in export._actions if "--format" in a.option_strings]
    return list(fmt.choices or [])


def test_the_cli_offers_exactly_the_registered_formats_in_order() -> None:
    assert _export_choices() == list(FORMAT_NAMES)
    assert FORMAT_NAMES == ("csv", "bundle", "xlsx", "ics", "md", "html")


def test_every_format_has_a_name_an_extension_a_type_and_a_label() -> None:
    assert len(set(FORMAT_NAMES)) == len(EXPORT_FORMATS)
    for found in EXPORT_FORMATS:
        assert found.extension and "/" in found.mime and found.label and found.purpose
    assert [f.name for f in EXPORT_FORMATS if not f.takes_as_of] == ["bundle"]
    assert [f.name for f in EXPORT_FORMATS if f.excel_variant] == ["csv"]


def test_the_dashboard_offers_every_report_once() -> None:
    reports = report_formats()
    assert sorted(r.name for r in reports) == sorted(
        f.name for f in EXPORT_FORMATS if f.takes_as_of
    )
    assert [r.label for r in reports][:2] == ["Review CSV", "Excel workbook"]


def test_an_unknown_format_names_the_known_ones() -> None:
    with pytest.raises(PlannerError, match="csv, bundle, xlsx, ics, md, html"):
        export_format("pdf")


def test_each_entry_makes_its_format_modules_bytes(engine: Engine) -> None:
    plan = create_sample_plan(engine, load_default_library(), actor="Ana")
    csv_excel = export_plan(engine, plan.id, "csv", as_of=AS_OF, excel=True)
    assert csv_excel == export_review_csv(engine, plan.id, as_of=AS_OF, excel=True)
    assert csv_excel.startswith(b"\xef\xbb\xbf")
    assert export_plan(engine, plan.id, "csv", as_of=AS_OF) == export_review_csv(
        engine, plan.id, as_of=AS_OF
    )
    # --excel is the review CSV's alone; a workbook ignores it
    xlsx = export_plan(engine, plan.id, "xlsx", as_of=AS_OF, excel=True)
    assert xlsx == export_xlsx(engine, plan.id, as_of=AS_OF)
    assert export_plan(engine, plan.id, "bundle", as_of=AS_OF) == export_bundle(engine, plan.id)
