"""Titles chosen by agreement between <title>, og:title, JSON-LD headline and <h1>, with a site
name cut only when it is the outlet's name; on pages of our own."""

from __future__ import annotations

import json

import pytest
from extract_pages import ARABIC_PARAGRAPHS, LONG_PARAGRAPHS, raw_page

from marsad.extract import extract
from marsad.extract.titles import choose_title, cut_outlet, is_outlet_name

AHRTAL = "Ausschuss zur Ahrtal-Flut: Zwei Rücktritte – und viele offene Fragen"


def _page(
    *,
    title_tag: str,
    og: str | None = None,
    site: str | None = None,
    h1: str | None = None,
    headline: str | None = None,
    lang: str = "en",
) -> bytes:
    head = f"<title>{title_tag}</title>"
    if og:
        head += f'<meta property="og:title" content="{og}">'
    if site:
        head += f'<meta property="og:site_name" content="{site}">'
    if headline:
        ld = json.dumps({"@type": "NewsArticle", "headline": headline}, ensure_ascii=False)
        head += f'<script type="application/ld+json">{ld}</script>'
    paragraphs = ARABIC_PARAGRAPHS if lang == "ar" else LONG_PARAGRAPHS[:5]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    heading = f"<h1>{h1}</h1>" if h1 else ""
    html = (
        f'<html lang="{lang}"><head><meta charset="utf-8">{head}</head><body>'
        f'<article>{heading}<div class="article-body">{body}</div></article></body></html>'
    )
    return html.encode()


@pytest.mark.parametrize(
    ("page", "url", "expected"),
    [
        # A headline's own colon and dash are kept, the domain cut from <title>.
        (
            dict(title_tag=f"{AHRTAL} | tagesschau.de", og=AHRTAL),
            "https://www.tagesschau.de/inland/x.html",
            AHRTAL,
        ),
        (dict(title_tag=AHRTAL), "https://www.tagesschau.de/inland/x.html", AHRTAL),
        (dict(title_tag=AHRTAL, h1=AHRTAL), "https://zeitung.example/a", AHRTAL),
        # The outlet named by og:site_name, at the end or the front.
        (
            dict(title_tag="Port workers end strike - The Harbour Times", site="The Harbour Times"),
            "https://harbour.example/a",
            "Port workers end strike",
        ),
        (
            dict(title_tag="The Harbour Times | Port workers end strike", site="The Harbour Times"),
            "https://harbour.example/a",
            "Port workers end strike",
        ),
        # The domain names the outlet even without og:site_name.
        (
            dict(title_tag="Council approves budget - Valley Post"),
            "https://www.valleypost.example/news/1",
            "Council approves budget",
        ),
        # A short tail that is not the outlet's name stays.
        (
            dict(title_tag="Storm hits coast: Three dead"),
            "https://valleypost.example/a",
            "Storm hits coast: Three dead",
        ),
        # <title> with a section and the site loses to og:title and <h1>, which agree.
        (
            dict(title_tag="Storm hits coast | World | VP", og="Storm hits coast", h1="Storm hits coast"),
            "https://valleypost.example/a",
            "Storm hits coast",
        ),
        # A logo <h1> with the outlet's name is no candidate.
        (
            dict(title_tag="Storm hits coast - Valley Post", h1="Valley Post", site="Valley Post"),
            "https://valleypost.example/a",
            "Storm hits coast",
        ),
        # JSON-LD headline agrees with <h1> against an SEO og:title.
        (
            dict(
                title_tag="Best storm coverage",
                og="Best storm coverage",
                headline="Storm hits coast",
                h1="Storm hits coast",
            ),
            "https://valleypost.example/a",
            "Storm hits coast",
        ),
    ],
)
def test_extract_title_by_agreement(page: dict[str, str], url: str, expected: str) -> None:
    assert extract(raw_page(_page(**page), url=url)).title == expected


def test_extract_arabic_title_site_name_cut_only_when_outlet() -> None:
    headline = "الحكومة تعلن خطة جديدة للنقل: قطارات سريعة بين المدن الكبرى"
    page = _page(title_tag=f"{headline} - الجزيرة نت", site="الجزيرة نت", lang="ar")
    assert extract(raw_page(page, url="https://www.aljazeera.net/news/1")).title == headline
    # The headline's own colon: «قطارات سريعة بين المدن الكبرى» is no outlet.
    page = _page(title_tag=headline, h1=headline, lang="ar")
    assert extract(raw_page(page, url="https://www.aljazeera.net/news/1")).title == headline


def test_is_outlet_name_matches_stated_names_and_domain() -> None:
    assert is_outlet_name("The Harbour Times", ["The Harbour Times"], None)
    assert is_outlet_name("BBC News", [], "https://www.bbc.co.uk/news/x")
    assert is_outlet_name("Assabah", ["Assabah News"], "http://www.assabah.com.tn/a")
    assert not is_outlet_name("und viele offene Fragen", [], "https://www.tagesschau.de/x")
    assert not is_outlet_name("Three dead", ["Valley Post"], "https://valleypost.example/a")


def test_cut_outlet_and_choose_title() -> None:
    assert cut_outlet(f"{AHRTAL} - Tagesschau", [], "https://tagesschau.de/x") == AHRTAL
    assert choose_title({"title": AHRTAL}, [], "https://tagesschau.de/x") == AHRTAL
    assert choose_title({}, [], None) is None
