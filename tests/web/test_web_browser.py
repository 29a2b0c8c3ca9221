"""The UI in a real browser (headless Debian chromium via Playwright) against the real server on 127.0.0.1.

Layout is measured from the rendered page (glyph boxes, computed styles, the fonts chromium used),
not read from the HTML source. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from marsad.api.comparison import find_compare_story
from marsad.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# Where the glyphs of an element's first text line sit: a line read right to left starts at the right.
FIRST_LINE_JS = """
(el) => {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const node = walker.nextNode();
  const range = document.createRange();
  const box = (i) => { range.setStart(node, i); range.setEnd(node, i + 1);
                       const r = range.getBoundingClientRect();
                       return {left: r.left, right: r.right, top: r.top}; };
  const el_box = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  return {first: box(0), later: box(6), left: el_box.left, right: el_box.right,
          paddingLeft: parseFloat(style.paddingLeft), paddingRight: parseFloat(style.paddingRight),
          direction: style.direction, textAlign: style.textAlign, text: node.textContent.slice(0, 12)};
}
"""

# Where a substring of an element's text is drawn.
SUBSTRING_BOXES_JS = """
(el, needle) => {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const at = node.textContent.indexOf(needle);
    if (at < 0) continue;
    const range = document.createRange();
    const out = [];
    for (let i = 0; i < needle.length; i++) {
      range.setStart(node, at + i); range.setEnd(node, at + i + 1);
      const r = range.getBoundingClientRect();
      out.push({left: r.left, right: r.right, top: r.top});
    }
    return out;
  }
  return null;
}
"""


def article_id_from(db: Path, source_suffix: str) -> str:
    with Store(db) as store:
        row = store.conn.execute(
            "SELECT id FROM documents WHERE source LIKE ? ESCAPE '\\'", (f"%{source_suffix}",)
        ).fetchone()
    assert row is not None, source_suffix
    return str(row[0])


def seed_story_url(server: Any, web_db: Path) -> str:
    seed = article_id_from(web_db, "000_f462c494be0ac3b8.txt")
    with Store(web_db) as store:
        row = store.conn.execute(
            "SELECT story_id FROM story_members WHERE article_id = ?", (seed,)
        ).fetchone()
    return f"{server.url}/stories/{row[0]}"


@pytest.fixture
def page(browser: Any) -> Any:
    context = browser.new_context(viewport=DESKTOP, locale="ar")
    pg = context.new_page()
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.dialogs = dialogs
    pg.errors = errors
    yield pg
    context.close()


def platform_fonts(page: Any, selector: str) -> dict[str, int]:
    """The fonts chromium actually drew the element's text with: {family: glyph count}."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return {f["familyName"]: int(f["glyphCount"]) for f in fonts}


def test_browser_story_page_shows_both_sources_and_arabic_right_to_left(
    page: Any, server: Any, web_db: Path, artifacts: Path
) -> None:
    page.goto(seed_story_url(server, web_db))
    page.locator("details.side-by-side > summary").click()
    columns = page.locator(".side-by-side .column")
    assert columns.count() == 2
    sources = page.locator(".source-card .source-name").all_inner_texts()
    assert len(sources) == 2 and "عكس السير" in sources
    assert (
        page.locator(".source-card").nth(0).is_visible() and page.locator(".source-card").nth(1).is_visible()
    )

    para = page.locator(".side-by-side .column[data-doc] p.para").first
    para.scroll_into_view_if_needed()
    geo = para.evaluate(FIRST_LINE_JS)
    assert geo["direction"] == "rtl", geo
    assert abs(geo["first"]["top"] - geo["later"]["top"]) < 2, "both glyphs on the first line"
    # Right to left: the first character is drawn right of the seventh, and the line starts at the
    # paragraph's right edge.
    assert geo["first"]["left"] > geo["later"]["right"] - 1, geo
    assert geo["right"] - geo["paddingRight"] - geo["first"]["right"] < 4, geo

    fonts = platform_fonts(page, ".side-by-side .column p.para")
    # Every Arabic letter is drawn with an Arabic face; the Latin one draws only what is not Arabic
    # script (spaces, digits, Latin punctuation), at the Latin size.
    text = page.locator(".side-by-side .column p.para").first.inner_text()
    not_arabic = sum(1 for ch in text if not "\u0600" <= ch <= "\u06ff" and not ch.isspace()) + text.count(
        " "
    )
    other = sum(n for family, n in fonts.items() if "Arabic" not in family)
    assert fonts.get("Noto Naskh Arabic", 0) > 0 and other <= not_arabic, f"Arabic glyphs drawn with {fonts}"
    page.screenshot(path=str(artifacts / "story-seeds-desktop.png"), full_page=True)


def test_browser_story_page_fits_a_phone(browser: Any, server: Any, web_db: Path, artifacts: Path) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    pg = context.new_page()
    try:
        pg.goto(seed_story_url(server, web_db))
        pg.locator("details.side-by-side > summary").click()
        overflow = pg.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"the page scrolls sideways by {overflow}px on a phone"
        boxes = [c.bounding_box() for c in pg.locator(".side-by-side .column").all()]
        assert len(boxes) == 2
        assert (
            abs(boxes[0]["x"] - boxes[1]["x"]) < 2 and boxes[1]["y"] > boxes[0]["y"] + boxes[0]["height"] - 1
        )
        assert all(b["width"] <= PHONE["width"] for b in boxes)
        pg.screenshot(path=str(artifacts / "story-seeds-phone.png"), full_page=True)
        pg.goto(f"{server.url}/")
        assert pg.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
        pg.screenshot(path=str(artifacts / "stories-phone.png"))
    finally:
        context.close()


def test_browser_paired_lavrov_quote_is_highlighted_on_both_sides(
    page: Any, server: Any, web_db: Path, artifacts: Path
) -> None:
    if find_compare_story() is None:
        pytest.skip("marsad.compare (compare_story) is not installed: the story page has no comparison")
    page.goto(seed_story_url(server, web_db))
    seed_a = article_id_from(web_db, "000_f462c494be0ac3b8.txt")
    seed_b = article_id_from(web_db, "003_78029ccb64208adf.txt")
    row = page.locator("tr.claim-row[data-kind='quote']").filter(has_text="مستعدون لمثل هذا التنسيق").first
    assert row.count() == 1, "the Lavrov quote 'we are ready for such coordination' is one claim"
    marks = row.locator("td.cell").evaluate_all("els => els.map(e => [e.dataset.doc, e.dataset.mark])")
    assert {doc for doc, mark in marks if mark in ("carries", "disagrees")} == {seed_a, seed_b}
    claim = row.get_attribute("data-claim")
    # The quote's claim is listed under Lavrov among the quotes by speaker (the wording shown there
    # may be either outlet's: 003 folds two statements into this one quote).
    group = (
        page.locator(".speaker-group").filter(has=page.locator(f".quote-item[data-claim='{claim}']")).first
    )
    assert "لافروف" in group.locator(".speaker-name").inner_text(timeout=5000)

    page.locator("details.side-by-side > summary").click()
    for doc in (seed_a, seed_b):
        mark = page.locator(
            f".side-by-side .column[data-doc='{doc}'] mark.shared.quote[data-claim='{claim}']"
        )
        assert mark.count() >= 1, f"the quote is highlighted in the full text of {doc}"
        mark.first.scroll_into_view_if_needed()
        assert mark.first.is_visible()
        background = mark.first.evaluate("m => getComputedStyle(m).backgroundColor")
        assert background not in ("rgba(0, 0, 0, 0)", "transparent"), background
        assert mark.first.evaluate("m => getComputedStyle(m.closest('p')).direction") == "rtl"

    # Hovering one side lights up its partner (the small static script, no inline code).
    every = page.locator(f".side-by-side mark[data-claim='{claim}']")
    every.first.hover()
    assert page.locator(f".side-by-side mark.active[data-claim='{claim}']").count() == every.count() >= 2
    row.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "story-seeds-lavrov-quote.png"), full_page=True)


def test_browser_untrusted_article_shows_payloads_as_text_and_runs_nothing(
    page: Any, server: Any, web_db: Path, artifacts: Path
) -> None:
    hostile = article_id_from(web_db, "test:hostile")
    urls = [
        f"{server.url}/articles/{hostile}",
        f"{server.url}/",
        f"{server.url}/search?q=%3Cscript%3Ewindow.__xss%3D9%3C%2Fscript%3E",
        f"{server.url}/search?q=" + "%D8%B9%D8%B1%D9%8A%D8%B6",  # عريض: the hostile title is a hit
    ]
    story = page.request.get(f"{server.url}/api/articles/{hostile}").json()["story_id"]
    urls.append(f"{server.url}/stories/{story}")
    for url in urls:
        page.goto(url)
        page.wait_for_load_state("load")
        assert page.evaluate("window.__xss") is None, url
        assert page.evaluate("document.querySelectorAll('main img, main svg, main iframe').length") == 0, url
        assert page.evaluate("document.querySelectorAll('script:not([src])').length") == 0, url
        assert page.locator("a[href^='javascript' i]").count() == 0, url
        handlers = page.evaluate(
            "[...document.querySelectorAll('main *')].flatMap(e => [...e.attributes])"
            ".filter(a => a.name.startsWith('on')).length"
        )
        assert handlers == 0, url
    page.goto(f"{server.url}/articles/{hostile}")
    assert "<script>window.__xss = 1;" in page.locator("h1").inner_text()
    body = page.locator(".article-body").inner_text()
    assert 'onerror="window.__xss = 2;' in body and "javascript:alert(4)" in body
    assert "javascript:window.__xss=7" in page.locator(".article-links").inner_text()  # shown, not linked
    page.mouse.move(10, 10)
    page.locator(".article-meta .source").hover()
    page.wait_for_timeout(300)
    assert page.evaluate("window.__xss") is None
    assert page.dialogs == [] and page.errors == []
    page.screenshot(path=str(artifacts / "article-hostile.png"), full_page=True)


def test_browser_sql_injection_search_returns_nothing(page: Any, server: Any, artifacts: Path) -> None:
    page.goto(f"{server.url}/search")
    page.fill(".search-form input[name=q]", "' OR 1=1 --")
    page.click(".search-form button[type=submit]")
    page.wait_for_load_state("load")
    assert page.locator(".result-count").get_attribute("data-total") == "0"
    assert page.locator(".results li").count() == 0
    page.screenshot(path=str(artifacts / "search-injection.png"))


def test_browser_search_finds_arabic_and_marks_words(page: Any, server: Any, artifacts: Path) -> None:
    page.goto(f"{server.url}/search?q=%D9%84%D8%A7%D9%81%D8%B1%D9%88%D9%81")  # لافروف
    results = page.locator(".results li")
    assert results.count() >= 2
    mark = page.locator(".results .excerpt mark").first
    assert "لافروف" in mark.inner_text()
    assert mark.evaluate("m => getComputedStyle(m.closest('p')).direction") == "rtl"
    page.screenshot(path=str(artifacts / "search-arabic.png"), full_page=True)


def test_browser_mixed_arabic_latin_line_keeps_each_run_in_order(
    page: Any, server: Any, web_db: Path, artifacts: Path
) -> None:
    mixed = article_id_from(web_db, "test:mixed")
    page.goto(f"{server.url}/articles/{mixed}")
    para = page.locator(".article-body p").first
    assert para.evaluate("p => getComputedStyle(p).direction") == "rtl"
    latin = para.evaluate(SUBSTRING_BOXES_JS, "World Health")
    assert latin is not None
    same_line = [b for b in latin if abs(b["top"] - latin[0]["top"]) < 2]
    lefts = [b["left"] for b in same_line]
    assert lefts == sorted(lefts), "a Latin name inside Arabic still reads left to right"
    arabic = para.evaluate(SUBSTRING_BOXES_JS, "قال المتحدث")
    assert arabic[0]["left"] > arabic[5]["left"], "the Arabic around it reads right to left"
    english = page.locator(".article-body p").nth(1)
    assert english.evaluate("p => getComputedStyle(p).direction") == "ltr"
    page.screenshot(path=str(artifacts / "article-mixed.png"), full_page=True)


def test_browser_article_page_sets_comments_apart(
    page: Any, server: Any, web_db: Path, artifacts: Path
) -> None:
    seed = article_id_from(web_db, "000_f462c494be0ac3b8.txt")
    page.goto(f"{server.url}/articles/{seed}")
    body = page.locator(".article-body")
    comments = page.locator("section.comments")
    assert comments.locator(".comment").count() == 5
    assert body.bounding_box()["y"] + body.bounding_box()["height"] <= comments.bounding_box()["y"]
    reply = comments.locator(".comment[data-index='2']")
    top = comments.locator(".comment[data-index='1']")
    assert reply.bounding_box()["width"] < top.bounding_box()["width"], "a reply is indented under its parent"
    assert comments.evaluate("c => getComputedStyle(c).backgroundColor") != body.evaluate(
        "b => getComputedStyle(b.closest('article')).backgroundColor"
    )
    page.screenshot(path=str(artifacts / "article-seed-comments.png"), full_page=True)
