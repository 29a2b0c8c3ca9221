"""Publication dates on pages of our own: metadata first, in the page's own time zone; the URL's
day for UTC instants; htmldate's extensive search; Arabic dates htmldate cannot read."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from extract_pages import ARABIC_PARAGRAPHS, LONG_PARAGRAPHS, raw_page

from marsad.extract import extract
from marsad.extract.dates import on_url_day, url_day


def _page(head: str = "", top: str = "", lang: str = "ar") -> bytes:
    paragraphs = ARABIC_PARAGRAPHS if lang == "ar" else LONG_PARAGRAPHS[:5]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<html lang="{lang}"><head><meta charset="utf-8"><title>خبر</title>{head}</head><body>'
        f'<article><h1>عنوان الخبر</h1>{top}<div class="article-body">{body}</div></article></body></html>'
    ).encode()


def _ld(**fields: str) -> str:
    return f'<script type="application/ld+json">{json.dumps({"@type": "NewsArticle", **fields})}</script>'


def test_extract_date_keeps_local_day_of_stated_offset() -> None:
    # 00:30 in Amman on the 15th is the 14th in UTC: the page's own day is kept.
    article = extract(raw_page(_page(_ld(datePublished="2024-03-15T00:30:00+03:00"))))
    assert article.published is not None
    assert article.published.date() == date(2024, 3, 15)
    assert article.published == datetime(2024, 3, 14, 21, 30, tzinfo=UTC)  # the same instant


def test_extract_date_utc_instant_on_url_day() -> None:
    head = '<meta property="article:published_time" content="2019-11-19T02:34:30Z">'
    article = extract(raw_page(_page(head, lang="en"), url="https://news.example/2019/11/18/markets/"))
    assert article.published is not None and article.published.date() == date(2019, 11, 18)
    assert article.published == datetime(2019, 11, 19, 2, 34, 30, tzinfo=UTC)


def test_extract_date_metadata_before_text() -> None:
    top = '<span class="date">الثلاثاء 12 آذار 2024</span>'
    article = extract(raw_page(_page(_ld(datePublished="2024-03-15T09:00:00+02:00"), top)))
    assert article.published is not None and article.published.date() == date(2024, 3, 15)


@pytest.mark.parametrize(
    "top",
    [
        '<span class="date">نشر في 15 مارس 2024</span>',
        '<div class="post-time">دمشق، ١٥ آذار (مارس) ٢٠٢٤</div>',
        '<span class="publish">الجمعة 15 مارس 2024</span>',
    ],
)
def test_extract_date_written_in_arabic_where_htmldate_fails(top: str) -> None:
    article = extract(raw_page(_page(top=top)))
    assert article.published is not None and article.published.date() == date(2024, 3, 15)


def test_extract_date_htmldate_extensive_search_when_no_markup() -> None:
    top = "<p>Published on 3 March 2024, updated later</p>"
    article = extract(raw_page(_page(top=top, lang="en")))
    assert article.published is not None and article.published.date() == date(2024, 3, 3)


def test_extract_date_none_when_page_states_none() -> None:
    article = extract(raw_page(_page()))
    assert article.published is None


def test_url_day_and_on_url_day() -> None:
    assert url_day("https://a.example/2019/11/18/story") == date(2019, 11, 18)
    assert url_day("https://a.example/news/20240315-title/") == date(2024, 3, 15)
    assert url_day("https://a.example/news/1") is None
    utc = datetime(2019, 11, 19, 7, 3, tzinfo=UTC)
    assert on_url_day(utc, "https://a.example/2019/11/18/x").date() == date(2019, 11, 18)
    assert on_url_day(utc, "https://a.example/2019/11/15/x") == utc  # too far: not the same story day
    amman = datetime(2024, 3, 15, 0, 30, tzinfo=timezone(timedelta(hours=3)))
    assert on_url_day(amman, "https://a.example/2024/03/14/x") == amman  # a stated offset is kept
