"""The interface in Arabic, English and French: negotiation, catalogues, no untranslated string,
directions, isolated timestamps; in a real browser, Arabic and Latin glyphs at the same size."""

from __future__ import annotations

import re
import string
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from marsad.api import ApiSettings
from marsad.app import create_app
from marsad.store import Store
from marsad.web.i18n import CATALOGUES, COOKIE, PLURAL, from_accept_language, negotiate

ARABIC_FORMS = {"zero", "one", "two", "few", "many", "other"}


@pytest.fixture(scope="module")
def client(web_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(ApiSettings(db_path=web_db, meaning_search=False))) as c:
        yield c


def _fields(message: str | Mapping[str, str]) -> set[str]:
    texts = [message] if isinstance(message, str) else list(message.values())
    return {f for t in texts for _, f, _, _ in string.Formatter().parse(t) if f}


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_catalogue_has_every_message_with_the_same_fields(lang: str) -> None:
    reference, catalogue = CATALOGUES["en"], CATALOGUES[lang]
    assert set(catalogue) == set(reference)
    for key, message in reference.items():
        theirs = catalogue[key]
        assert isinstance(theirs, str) == isinstance(message, str) or not isinstance(theirs, str), key
        assert _fields(theirs) - {"n"} == _fields(message) - {"n"}, key
        if lang == "ar" and not isinstance(theirs, str) and key != "sources.unnamed":
            assert {"one", "other"} <= set(theirs) <= ARABIC_FORMS, key


@pytest.mark.parametrize(
    ("n", "form"),
    [
        (0, "zero"),
        (1, "one"),
        (2, "two"),
        (3, "few"),
        (10, "few"),
        (11, "many"),
        (99, "many"),
        (100, "other"),
        (103, "few"),
        (111, "many"),
    ],
)
def test_arabic_plural_forms_follow_cldr(n: int, form: str) -> None:
    assert PLURAL["ar"](n) == form


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("ar", "ar"),
        ("ar-EG,ar;q=0.9,en;q=0.8", "ar"),
        ("en-US,en;q=0.9,ar;q=0.8", "en"),
        ("de-DE,ar;q=0.3", "ar"),
        ("fr-CA,fr;q=0.9", "fr"),
        ("en;q=0.5, ar;q=0.8", "ar"),
        ("ar;q=0", None),
        ("de", None),
        ("", None),
        (None, None),
    ],
)
def test_accept_language_picks_the_highest_ranked_language_we_have(header: str | None, expected: str) -> None:
    assert from_accept_language(header) == expected


def test_query_beats_cookie_beats_browser() -> None:
    assert negotiate("fr", "ar", "ar").lang == "fr" and negotiate("fr", None, None).chosen
    assert negotiate(None, "ar", "en").lang == "ar" and not negotiate(None, "ar", "en").chosen
    assert negotiate("xx", None, "ar").lang == "ar"
    assert negotiate(None, None, "de").lang == "en"


def page_urls(client: TestClient, db: Path) -> list[str]:
    with Store(db) as store:
        seed = store.conn.execute(
            "SELECT id FROM documents WHERE source LIKE '%000_f462c494be0ac3b8.txt'"
        ).fetchone()[0]
    story = client.get(f"/api/articles/{seed}").json()["story_id"]
    return [
        "/",
        f"/stories/{story}",
        f"/articles/{seed}",
        "/search?q=%D9%84%D8%A7%D9%81%D8%B1%D9%88%D9%81",
        "/monitor",
        "/storylines",
        f"/stories/{story}/coverage",
        "/outlets",
        "/outlets/aljazeera",
    ]


def _interface_text(html: str) -> str:
    """The page's text without article text: elements carrying a text direction of their own are
    article text, outlet names or user input, and are cut out with their content."""
    html = re.sub(r"<(title|script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    for _ in range(3):  # nested texts: cut the innermost first, then the ones around them
        html = re.sub(r"<(\w+)[^>]*\sdir=\"(?:rtl|ltr|auto)\"[^>]*>[^<]*</\1>", " ", html)
    return re.sub(r"<[^>]+>", " ", html)


def test_arabic_pages_have_no_english_interface_string(client: TestClient, web_db: Path) -> None:
    english = {
        m
        for m in CATALOGUES["en"].values()
        if isinstance(m, str) and " " in m and "{" not in m and len(m) > 6
    }
    english -= {m for m in CATALOGUES["ar"].values() if isinstance(m, str)}
    assert len(english) > 40
    for url in page_urls(client, web_db):
        res = client.get(url, headers={"Accept-Language": "ar,en;q=0.5"})
        assert res.status_code == 200 and res.headers["content-language"] == "ar"
        assert '<html lang="ar" dir="rtl">' in res.text
        text = _interface_text(res.text)
        leaked = [m for m in english if m in text]
        assert not leaked, (url, leaked)
        english_html = client.get(url, headers={"Accept-Language": "en"}).text
        assert '<html lang="en" dir="ltr">' in english_html


def test_lang_query_switches_and_is_remembered(client: TestClient, web_db: Path) -> None:
    res = client.get("/?lang=fr", headers={"Accept-Language": "ar"})
    assert '<html lang="fr" dir="ltr">' in res.text and "Sujets" in res.text
    assert res.cookies.get(COOKIE) == "fr" and "Accept-Language" in res.headers["vary"]
    again = client.get("/", headers={"Accept-Language": "ar"})
    assert '<html lang="fr" dir="ltr">' in again.text
    back = client.get("/?lang=ar")
    assert '<html lang="ar" dir="rtl">' in back.text
    client.cookies.clear()
    # The switcher links to the same page, keeping its query, in each language.
    html = client.get("/search?q=abc&mode=text", headers={"Accept-Language": "en"}).text
    switch = re.search(r'<nav class="lang-switch".*?</nav>', html, re.S)
    assert switch is not None
    links = re.findall(r'href="([^"]+)" lang="(\w+)"', switch.group(0))
    assert [lang for _, lang in links] == ["ar", "en", "fr"]
    assert all("q=abc" in href and "mode=text" in href and f"lang={lang}" in href for href, lang in links)
    assert 'lang="en" hreflang="en" aria-current="true"' in switch.group(0)


def test_every_timestamp_is_isolated_left_to_right(client: TestClient, web_db: Path) -> None:
    for url in page_urls(client, web_db):
        html = client.get(url, headers={"Accept-Language": "ar"}).text
        times = re.findall(r"<time[^>]*>", html)
        assert all('dir="ltr"' in t for t in times), (url, [t for t in times if 'dir="ltr"' not in t])
    story = page_urls(client, web_db)[1]
    assert re.search(r"<time [^>]*dir=\"ltr\">\d{4}-\d\d-\d\d \d\d:\d\d</time>", client.get(story).text)


# --- in a real browser -------------------------------------------------------------------------

# The ink height of glyphs drawn in the page's own text font (canvas, after the faces are loaded).
GLYPHS_JS = """async () => {
  const family = getComputedStyle(document.body).fontFamily;
  await document.fonts.load('100px ' + family, 'اlx');
  const c = document.createElement('canvas').getContext('2d');
  c.font = '100px ' + family;
  const up = (s) => c.measureText(s).actualBoundingBoxAscent;
  return {alif: up('ا'), lam: up('لا'), l: up('l'), h: up('h'), tooth: up('سـ'), x: up('x')};
}"""


@pytest.mark.browser
@pytest.mark.slow
def test_browser_arabic_and_latin_letters_are_the_same_size(browser: Any, server: Any, web_db: Path) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="ar")
    page = context.new_page()
    try:
        page.goto(f"{server.url}/")
        assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
        g = page.evaluate(GLYPHS_JS)
        # The alif stands as tall as a Latin ascender (unscaled Naskh: 0.88); the tooth letters
        # reach most of the x-height (unscaled: 0.63).
        assert 0.95 <= g["alif"] / g["l"] <= 1.1, g
        assert g["tooth"] / g["x"] >= 0.7, g
        # No font is fetched: every face is the machine's own.
        assert (
            page.evaluate(
                "performance.getEntriesByType('resource').filter(r => /font|woff|ttf|otf/i"
                ".test(r.name)).length"
            )
            == 0
        )
        # The switcher: English in one click, remembered on the next page.
        page.locator(".lang-switch a[hreflang='en']").click()
        page.wait_for_url("**lang=en*")
        assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["en", "ltr"]
        page.goto(f"{server.url}/search")
        assert page.evaluate("document.documentElement.lang") == "en"
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.slow
def test_browser_timestamps_stay_whole_in_an_arabic_page(browser: Any, server: Any, web_db: Path) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ar")
    page = context.new_page()
    try:
        client_urls = [f"{server.url}/"]
        with Store(web_db) as store:
            story = store.conn.execute(
                "SELECT m.story_id FROM story_members m GROUP BY m.story_id ORDER BY count(*) DESC LIMIT 1"
            ).fetchone()[0]
        client_urls.append(f"{server.url}/stories/{story}")
        for url in client_urls:
            page.goto(url)
            shapes = page.locator("main time").evaluate_all(
                """els => els.filter(e => e.offsetParent !== null).map(e => {
                  const r = document.createRange(); const t = e.firstChild;
                  const at = (i) => {
                    r.setStart(t, i); r.setEnd(t, i + 1); return r.getBoundingClientRect(); };
                  return {lines: e.getClientRects().length, first: at(0).left,
                          last: at(t.length - 1).left, text: t.textContent}; })"""
            )
            assert shapes, url
            for s in shapes:
                assert s["lines"] == 1, (url, s)
                assert s["first"] < s["last"], f"{s['text']} reads left to right in one piece on {url}"
    finally:
        context.close()
