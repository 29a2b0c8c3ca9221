"""Dates written in Arabic (both month series, Maghreb names, pairs, Arabic-Indic digits),
weekday + day phrases resolved against a reference, and page metadata."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from marsad.extract.dates import find_date_in_text, find_meta_date, parse_date, resolve_weekday_day

REF = datetime(2016, 5, 26, 12, 0, tzinfo=UTC)  # a Thursday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("نشر في 15 مارس 2024 على الموقع", "2024-03-15"),
        ("القاهرة في 24 مايو/أيار 2016", "2016-05-24"),
        ("دمشق، ٢٤ أيار (مايو) ٢٠١٦", "2016-05-24"),
        ("بيروت 3 كانون الثاني 2020", "2020-01-03"),
        ("عمان 3 تشرين الأول 2019", "2019-10-03"),
        ("الجمعة 8 فيفري 2019", "2019-02-08"),
        ("الرباط 12 دجنبر 2020", "2020-12-12"),
        ("الجزائر 5 جويلية 2021", "2021-07-05"),
        ("جريدة الصباح بتاريخ 2019/02/09", "2019-02-09"),
        ("تونس في 08/02/2019", "2019-02-08"),
        ("Published Nov. 18, 2019", "2019-11-18"),
        ("le 3 mars 2024", "2024-03-03"),
    ],
)
def test_find_date_in_text_reads_written_dates(text: str, expected: str) -> None:
    found = find_date_in_text(text)
    assert found is not None and found.date().isoformat() == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وقال الوزير يوم الثلاثاء 24 إن المفاوضات مستمرة", "2016-05-24"),
        ("أعلنت الشرطة الأحد 22 الجاري", "2016-05-22"),
        ("la police a annoncé mardi 24 que", "2016-05-24"),
        ("15 أيار", "2016-05-15"),
    ],
)
def test_find_date_in_text_resolves_against_reference(text: str, expected: str) -> None:
    found = find_date_in_text(text, reference=REF)
    assert found is not None and found.date().isoformat() == expected
    assert find_date_in_text(text) is None  # no reference, no guess


def test_resolve_weekday_day_takes_latest_match_not_after_reference() -> None:
    assert resolve_weekday_day(1, 24, REF) == datetime(2016, 5, 24, tzinfo=UTC)  # Tuesday 24
    assert resolve_weekday_day(4, 29, REF) == datetime(2016, 4, 29, tzinfo=UTC)  # Friday 29 April
    assert resolve_weekday_day(0, 31, REF) is None  # no Monday 31 in the last 45 days


def test_parse_date_reads_iso_rfc2822_and_words() -> None:
    assert parse_date("2019-02-08T00:00:00+01:00") == datetime.fromisoformat("2019-02-08T00:00:00+01:00")
    assert parse_date("Tue, 24 May 2016 08:00:00 GMT") == datetime(2016, 5, 24, 8, tzinfo=UTC)
    assert parse_date("24 مايو 2016") == datetime(2016, 5, 24, tzinfo=UTC)
    assert parse_date("0001-01-01") is None
    assert parse_date("not a date") is None


def test_find_meta_date_prefers_published_over_modified() -> None:
    pairs = [
        ("article:modified_time", "2024-03-16T10:00:00Z"),
        ("og:title", "x"),
        ("article:published_time", "2024-03-15T09:30:00Z"),
    ]
    assert find_meta_date(pairs) == datetime(2024, 3, 15, 9, 30, tzinfo=UTC)
    assert find_meta_date([("og:title", "2024-01-01")]) is None
