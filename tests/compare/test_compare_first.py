"""One rule for who reported first (`marsad.compare.first`), shared by the comparison and the story page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from marsad.compare.first import FirstReport, Source, basis_of, first_report

T0 = datetime(2026, 5, 2, 8, 0, tzinfo=UTC)


def test_first_report_by_publication_time_across_offsets_and_partial() -> None:
    # 10:30 at +03:00 is 07:30 UTC: earlier than 08:00 UTC, though its clock reads later
    riyadh = T0.astimezone(timezone(timedelta(hours=3))) + timedelta(minutes=-30)
    found = first_report([Source("a", T0), Source("b", riyadh), Source("c", None)])
    assert found == FirstReport("b", "published", partial=True)
    assert found.label == "published (undated documents not compared)"


def test_first_report_by_agency_credit_then_fetch_time() -> None:
    wire = [Source("a", None, ("Reuters",)), Source("b", None, ("Agencies",))]
    assert first_report(wire) == FirstReport("a", "agency")
    fetched = [Source("a", None, fetched=T0 + timedelta(hours=1)), Source("b", None, fetched=T0)]
    assert first_report(fetched).label == "fetched" and first_report(fetched).article_id == "b"
    tie = [Source("a", None, fetched=T0), Source("b", None, fetched=T0)]
    assert first_report(tie) == FirstReport(None, None)
    assert first_report([*fetched, Source("c", None)]) == FirstReport(None, None)  # one never fetched


def test_first_report_does_not_depend_on_source_order() -> None:
    same_time = [Source("b", T0), Source("a", T0)]
    assert first_report(same_time).article_id == first_report(same_time[::-1]).article_id == "a"


@pytest.mark.parametrize(
    "report",
    [
        FirstReport("x", "published"),
        FirstReport("x", "published", True),
        FirstReport("x", "agency"),
        FirstReport("x", "fetched"),
        FirstReport(None, None),
    ],
)
def test_first_report_label_reads_back(report: FirstReport) -> None:
    assert FirstReport.from_label(report.article_id, report.label) == report
    assert basis_of(report.label) == report.basis
