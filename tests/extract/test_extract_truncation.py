"""No silent truncation, on pages of our own: a long article whose middle holds a figure, an aside
or an inline ad, and whose second half sits in a block trafilatura's precision mode prunes."""

from __future__ import annotations

import json

import pytest
from extract_pages import (
    ARABIC_PARAGRAPHS,
    ARABIC_TITLE,
    LONG_PARAGRAPHS,
    LONG_TITLE,
    raw_page,
)

from marsad.extract import extract

# What sits between the two halves, and the block that wraps the second half.
BREAKS = {
    "aside_then_bottom_block": (
        "<aside>Read also: <a href='/x'>Other story from the valley</a></aside>",
        '<div class="article-bottom">',
        "</div>",
    ),
    "figure_then_bordered_block": (
        "<figure><img src='a.jpg'><figcaption>The river in June</figcaption></figure>",
        '<div style="border-top:1px solid #ddd">',
        "</div>",
    ),
    "inline_ad_then_link_block": (
        "<div class='ad'>Advertisement</div>",
        '<div class="content link">',
        "</div>",
    ),
    "header_inside_body": ("", "<header>", "</header>"),
}


def _split_page(title: str, paragraphs: list[str], lang: str, middle: str, wrap: tuple[str, str]) -> str:
    first = "".join(f"<p>{p}</p>" for p in paragraphs[:4])
    rest = "".join(f"<p>{p}</p>" for p in paragraphs[4:])
    related = "".join(
        f"<li><a href='/r{n}'>Related headline {n}</a><p>{'Teaser text of another story. ' * 5}</p></li>"
        for n in range(4)
    )
    return (
        f'<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head><body>'
        '<nav><a href="/">Home</a></nav>'
        f'<article><h1>{title}</h1><div class="article-body">{first}{middle}{wrap[0]}{rest}{wrap[1]}</div>'
        f'</article><div class="sidebar"><ul>{related}</ul></div><footer>(c) 2024</footer></body></html>'
    )


@pytest.mark.parametrize("kind", sorted(BREAKS))
@pytest.mark.parametrize(
    ("title", "paragraphs", "lang"),
    [(LONG_TITLE, LONG_PARAGRAPHS, "en"), (ARABIC_TITLE, ARABIC_PARAGRAPHS * 2, "ar")],
    ids=["en", "ar"],
)
def test_extract_keeps_article_cut_by_precision_mode(
    kind: str, title: str, paragraphs: list[str], lang: str
) -> None:
    middle, *wrap = BREAKS[kind]
    article = extract(raw_page(_split_page(title, paragraphs, lang, middle, (wrap[0], wrap[1])).encode()))
    for paragraph in paragraphs:
        assert paragraph in article.body
    assert "Teaser text of another story" not in article.body  # recovery stays in the article container
    assert any("re-extracted that container" in note for note in article.notes)


def test_extract_records_prose_no_pass_keeps() -> None:
    # A long paragraph inside the article that every extraction pass drops (a link farm) is
    # recorded as boilerplate, not silently lost.
    farm = "<p>" + " ".join(f"<a href='/t{n}'>topic number {n}</a>" for n in range(12)) + "</p>"
    body = "".join(f"<p>{p}</p>" for p in LONG_PARAGRAPHS[:6]) + farm
    html = (
        f"<html><body><article><h1>{LONG_TITLE}</h1><div class='article-body'>{body}</div></article>"
        "</body></html>"
    )
    article = extract(raw_page(html.encode()))
    assert LONG_PARAGRAPHS[5] in article.body
    assert "topic number 3" not in article.body
    assert any("topic number 3" in b for b in article.boilerplate)


def test_extract_takes_json_ld_article_body_when_page_shows_its_beginning() -> None:
    # A page that shows the first paragraphs (the rest loads by script) and states the whole
    # article in JSON-LD: the body is the articleBody, and the switch is noted.
    ld = {"@type": "NewsArticle", "headline": ARABIC_TITLE, "articleBody": "\n".join(ARABIC_PARAGRAPHS)}
    shown = "".join(f"<p>{p}</p>" for p in ARABIC_PARAGRAPHS[:2])
    html = (
        '<html lang="ar"><head><script type="application/ld+json">'
        f"{json.dumps(ld, ensure_ascii=False)}</script>"
        f"</head><body><article><h1>{ARABIC_TITLE}</h1><div class='article-body'>{shown}"
        "<div class='paywall'>اشترك لقراءة المقال كاملا</div></div></article></body></html>"
    )
    article = extract(raw_page(html.encode()))
    assert all(p in article.body for p in ARABIC_PARAGRAPHS)
    assert any("articleBody" in note for note in article.notes)


def test_extract_untruncated_page_has_no_recovery_note() -> None:
    html = _split_page(LONG_TITLE, LONG_PARAGRAPHS, "en", "", ("<div>", "</div>"))
    article = extract(raw_page(html.encode()))
    assert all(p in article.body for p in LONG_PARAGRAPHS)
    assert article.notes == ()
