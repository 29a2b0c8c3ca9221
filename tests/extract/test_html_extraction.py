"""HTML extraction: trafilatura's body plus our layer (metadata, comments, credits, ads, dates)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from marsad.extract import extract
from marsad.ingest import content_id
from marsad.records import RawDocument

FIXTURES = Path(__file__).resolve().parents[1] / "ingest" / "fixtures"


def _raw(content: bytes, **fields: object) -> RawDocument:
    return RawDocument(
        id=content_id(content),
        source="page.html",
        content=content,
        hint="html",
        url="https://marsad.example/news/1",
        fetched_at=datetime(2016, 5, 26, tzinfo=UTC),
        fields=dict(fields),
    )


def test_extract_html_arabic_page_metadata_and_body() -> None:
    article = extract(_raw((FIXTURES / "article_ar.html").read_bytes()))
    assert article.title == "افتتاح قمة سنابل الاقتصادية في العاصمة"
    assert article.outlet == "جريدة المرصد"
    assert article.language == "ar"
    assert article.published == datetime(2016, 5, 24, tzinfo=UTC)  # from "الثلاثاء 24 أيار (مايو) 2016"
    assert article.body.startswith("افتتحت صباح اليوم")  # the repeated title is not body
    assert "[ads3]" not in article.body and "[ads3]" in article.boilerplate
    assert "(أ ف ب)" not in article.body and "المصدر: وكالات" not in article.body
    assert article.agencies == ("AFP", "Agencies")


def test_extract_html_keeps_comments_structured_and_out_of_body() -> None:
    article = extract(_raw((FIXTURES / "article_ar.html").read_bytes()))
    assert [(c.index, c.parent, c.author) for c in article.comments] == [
        (1, None, "سامي"),
        (2, 1, "ليلى"),
        (3, None, None),
    ]
    assert article.comments[1].text == "أتفق معك، لكن التنفيذ هو الأهم دائما."
    for comment in article.comments:
        assert comment.text not in article.body
    assert "إضافة تعليق جديد" not in article.body
    assert all("إضافة تعليق" not in c.text for c in article.comments)


def test_extract_html_english_page_json_ld_and_credit() -> None:
    article = extract(_raw((FIXTURES / "article_en.html").read_bytes()))
    assert article.title == "Port workers end strike after pay deal"
    assert article.outlet == "The Harbour Times"
    assert article.published == datetime(2024, 3, 15, 9, 30, tzinfo=UTC)
    assert article.language == "en"
    assert article.agencies == ("Reuters",)  # credited in the byline metadata only
    assert "Home" not in article.body and "Copyright" not in article.body


def test_extract_html_windows_1256_with_http_charset_only() -> None:
    html = (FIXTURES / "article_ar.html").read_text("utf-8").replace('<meta charset="utf-8">', "")
    article = extract(_raw(html.encode("cp1256"), http={"charset": "cp1256"}))
    assert article.title == "افتتاح قمة سنابل الاقتصادية في العاصمة"
    assert "قمة سنابل" in article.body


def test_extract_html_arabic_month_date_where_htmldate_fails() -> None:
    html = (
        "<html><head><title>خبر</title></head><body><article><h1>خبر عاجل من العاصمة</h1>"
        '<span class="date">15 مارس 2024</span>'
        + "<p>"
        + "أعلنت الحكومة اليوم عن حزمة إجراءات اقتصادية جديدة لدعم الأسر. " * 8
        + "</p>"
        "</article></body></html>"
    )
    article = extract(_raw(html.encode("utf-8")))
    assert article.published == datetime(2024, 3, 15, tzinfo=UTC)


def test_extract_html_feed_facts_fill_missing_metadata() -> None:
    html = (
        "<html><body><article>"
        + "<p>"
        + "The council approved the new budget on Monday evening. " * 6
        + "</p></article></body></html>"
    )
    article = extract(
        _raw(
            html.encode(), feed={"title": "Council approves budget", "published": "2024-03-11T18:00:00+00:00"}
        )
    )
    assert article.title == "Council approves budget"
    assert article.published == datetime(2024, 3, 11, 18, tzinfo=UTC)


def test_extract_html_shared_arabic_page(shared_data: Path) -> None:
    folder = shared_data / "trafilatura-arabic-page"
    if not folder.is_dir():
        pytest.skip(f"{folder} not found")
    url, annotation = next(iter(json.loads((folder / "assabah-annotation.json").read_text("utf-8")).items()))
    content = (folder / annotation["file"]).read_bytes()
    article = extract(
        RawDocument(id=content_id(content), source="assabah", content=content, hint="html", url=url)
    )
    body = " ".join(article.body.split())
    assert all(" ".join(s.split()) in body for s in annotation["with"])
    assert not any(" ".join(s.split()) in body for s in annotation["without"])
    assert " ".join((article.title or "").split()) == " ".join(annotation["title"].split())
    assert article.published is not None and article.published.date().isoformat() == "2019-02-08"
