"""The pages over a store built by the real ingest pipeline: duplicate groups on the article page,
each claim once in a claims x outlets matrix and the basis of "first reported" on the story page,
the entity filter on the story list, search by meaning; in HTML and in a real browser (screenshots
in test-artifacts/)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from marsad.api import ApiSettings
from marsad.api.comparison import find_compare_story
from marsad.app import create_app
from marsad.embed.meaning import MEANING_CUT
from marsad.store import Store
from marsad.store.dedup import list_groups

needs_compare = pytest.mark.skipif(find_compare_story() is None, reason="marsad.compare is not installed")


@pytest.fixture(scope="module")
def client(pipeline_web_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(ApiSettings(db_path=pipeline_web_db, meaning_search=False))) as c:
        yield c


def story_naming(db: Path, spelling: str) -> str:
    with Store(db) as store:
        rows = store.conn.execute(
            "SELECT DISTINCT m.story_id FROM mentions mm JOIN story_members m ON m.article_id = mm.article_id"
            " WHERE mm.text = ?",
            (spelling,),
        ).fetchall()
    assert len(rows) == 1, spelling
    return str(rows[0][0])


def exact_copy(db: Path) -> tuple[str, str, str]:
    """(a copy's id, its canonical's id, the canonical's outlet) of an exact duplicate group."""
    with Store(db) as store:
        group = next(g for g in list_groups(store) if any(m.kind == "exact" for m in g.members))
    canonical = next(m for m in group.members if m.article_id == group.canonical_id)
    copy = next(m for m in group.members if m.article_id != group.canonical_id)
    assert canonical.outlet
    return copy.article_id, canonical.article_id, canonical.outlet


def test_article_page_lists_its_duplicates(client: TestClient, pipeline_web_db: Path) -> None:
    copy, canonical, outlet = exact_copy(pipeline_web_db)
    html = client.get(f"/articles/{copy}").text
    section = html[html.index('<section class="duplicates"') :]
    section = section[: section.index("</section>")]
    assert 'data-kind="exact"' in section and "word for word" in section
    assert f'href="/articles/{canonical}"' in section and outlet in section
    assert f'data-article="{copy}"' not in section  # the others, not itself
    lonely = client.get(f"/articles/{story_article_without_copies(pipeline_web_db)}").text
    assert 'class="duplicates"' not in lonely


def story_article_without_copies(db: Path) -> str:
    with Store(db) as store:
        return str(
            store.conn.execute(
                "SELECT m.article_id FROM dedup_members m JOIN dedup_groups g ON g.id = m.group_id"
                " WHERE g.size = 1 ORDER BY m.article_id"
            ).fetchone()[0]
        )


def claim_rows(html: str) -> dict[str, dict[str, str]]:
    """{claim id: {doc id: mark}} read from the story page's matrix (empty marks left out)."""
    rows: dict[str, dict[str, str]] = {}
    for row in re.findall(r'<tr class="claim-row.*?</tr>', html, re.S):
        claim = re.search(r'data-claim="([^"]+)"', row)
        assert claim is not None
        cells = re.findall(r'<td class="cell[^"]*" data-doc="([^"]+)" data-mark="([a-z]*)"', row)
        assert claim.group(1) not in rows, "each claim is one row"
        rows[claim.group(1)] = {doc: mark for doc, mark in cells if mark}
    return rows


@needs_compare
def test_story_page_shows_each_claim_once_with_its_outlets(
    client: TestClient, pipeline_web_db: Path, story_with: Callable[[Path, str], str]
) -> None:
    story = story_with(pipeline_web_db, "Wadi Zahra survivors")
    cmp = client.get(f"/api/stories/{story}").json()["comparison"]
    html = client.get(f"/stories/{story}").text
    rows = claim_rows(html)
    assert sorted(rows) == sorted(c["id"] for c in cmp["claims"]), "one row per claim, every claim"
    disputed = {(d["claim"], doc) for d in cmp["disagreements"] for v in d["versions"] for doc in v["docs"]}
    for claim in cmp["claims"]:
        marks = rows[claim["id"]]
        carried = {doc for doc, mark in marks.items() if mark in ("carries", "adds", "disagrees")}
        assert carried == set(claim["outlets"]), claim["id"]
        for doc, mark in marks.items():
            if mark == "adds":
                assert claim["id"] in cmp["adds"][doc] and claim["outlets"] == [doc]
            if mark == "omits":
                assert claim["id"] in cmp["omits"][doc] and doc not in claim["outlets"]
            if mark == "disagrees":
                assert (claim["id"], doc) in disputed
    # A split (one outlet says in two sentences what another says in one) is one claim, one row.
    split = {p["group"] for p in cmp["pairs"] if p["kind"] == "sentence"} & {
        g for g in range(len(cmp["claims"])) if _split(cmp, g)
    }
    assert split, "the sample story has a claim one outlet tells in two sentences"
    for g in split:
        claim = cmp["claims"][g]
        assert len(rows[claim["id"]]) >= len(claim["outlets"]) >= 2
    # The disagreements come first, then the matrix, then the quotes by speaker and the timeline.
    # (The disagreements section is there only when outlets disagree: every outlet of this story
    # gives the same toll.)
    sections = ('class="disagreements"', 'class="matrix"', 'class="speakers"', 'class="timeline"')
    assert all(k in html for k in sections[1:]) and (
        ('class="disagreements"' in html) == bool(cmp["disagreements"])
    )
    order = [html.index(k) for k in sections if k in html]
    assert order == sorted(order)
    assert html.count('<li class="disagreement"') == len(cmp["disagreements"])


def _split(cmp: dict[str, Any], group: int) -> bool:
    """Whether some outlet carries claim `group` in more than one sentence."""
    texts: dict[str, set[str]] = {}
    for p in cmp["pairs"]:
        if p["group"] == group and p["kind"] == "sentence":
            for side in (p["a"], p["b"]):
                texts.setdefault(side["doc"], set()).add(side["text"])
    return any(len(t) > 1 for t in texts.values())


@needs_compare
def test_story_page_says_how_first_reporter_was_told(
    client: TestClient, pipeline_web_db: Path, story_with: Callable[[Path, str], str]
) -> None:
    story = story_with(pipeline_web_db, "Wadi Zahra survivors")
    html = client.get(f"/stories/{story}").text
    line = re.search(r'<p class="first-reported" data-basis="published">(.*?)</p>', html, re.S)
    assert line is not None
    assert "by stated publication time" in line.group(1)


@pytest.mark.slow
def test_search_page_by_meaning_shows_only_scored_results_above_the_cut(pipeline_web_db: Path) -> None:
    with TestClient(create_app(ApiSettings(db_path=pipeline_web_db, meaning_search=True))) as meaning:
        html = meaning.get(
            "/search", params={"q": "كم عدد ضحايا الزلزال في وادي الزهرة", "mode": "meaning"}
        ).text
        scores = [
            float(x)
            for x in re.findall(r'<li class="result" data-article="[^"]+" data-score="([0-9.]+)"', html)
        ]
        assert scores and min(scores) >= MEANING_CUT
        assert len(
            re.findall(r'<span class="score">similarity <bdi dir="auto">0\.\d\d</bdi></span>', html)
        ) == len(scores)
        none = meaning.get("/search", params={"q": "best hiking boots for winter", "mode": "meaning"}).text
    assert 'data-total="0"' in none and 'class="result"' not in none
    assert "No article is close enough in meaning to this query." in none


@pytest.mark.parametrize("entity", ["نادية الفرجاني", "Nadia Ferjani"])
def test_story_list_filters_by_entity(client: TestClient, pipeline_web_db: Path, entity: str) -> None:
    html = client.get("/", params={"entity": entity}).text
    cards = re.findall(r'<li class="story-card" data-story="([^"]+)"', html)
    assert cards == [story_naming(pipeline_web_db, "Nadia Ferjani")]
    assert f'name="entity" dir="auto" value="{entity}"' in html
    assert "1 story naming" in html
    everything = client.get("/").text
    assert len(re.findall(r'class="story-card"', everything)) > len(cards)
    none = client.get("/", params={"entity": "لا أحد"}).text
    assert "No story matches these filters." in none


# --- in a real browser -------------------------------------------------------------------------


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar")
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.errors = errors
    yield pg
    context.close()


DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@needs_compare
@pytest.mark.browser
@pytest.mark.slow
def test_browser_seven_article_story_fits_three_screens_and_a_phone(
    browser: Any,
    pipeline_server: Any,
    pipeline_web_db: Path,
    artifacts: Path,
    story_with: Callable[[Path, str], str],
) -> None:
    story = story_with(pipeline_web_db, "Wadi Zahra survivors")
    url = f"{pipeline_server.url}/stories/{story}"
    context = browser.new_context(viewport=DESKTOP, locale="ar")
    pg = context.new_page()
    try:
        pg.goto(url)
        # One column per article of the story (7 in the sample's gold, and with the shipped model:
        # tests/compare/test_compare_samples.py; 6 when the survivors page starts its own story).
        size = len(httpx.get(f"{pipeline_server.url}/api/stories/{story}").json()["articles"])
        assert size >= 6
        assert pg.locator("table.matrix thead th.col-head").count() == size
        height = pg.evaluate("document.documentElement.scrollHeight")
        assert height <= 3 * DESKTOP["height"], f"the {size}-article story page is {height}px tall"
        # Hovering one sentence of a claim in the full texts lights every sentence of that claim.
        pg.locator("details.side-by-side > summary").click()
        shared = pg.locator(".side-by-side mark.shared[data-claim]").first
        claim = shared.get_attribute("data-claim")
        shared.scroll_into_view_if_needed()
        shared.hover()
        lit = pg.locator(f".side-by-side mark.active[data-claim='{claim}']").count()
        assert lit == pg.locator(f".side-by-side mark[data-claim='{claim}']").count() >= 2
        first = pg.locator("p.first-reported[data-basis='published'] .basis-words")
        assert first.inner_text().startswith("بحسب وقت النشر المعلن"), (
            "the Arabic interface says it in Arabic"
        )
        pg.goto(url)
        pg.screenshot(path=str(artifacts / "story-claims-desktop.png"), full_page=True)
    finally:
        context.close()
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    pg = context.new_page()
    try:
        pg.goto(url)
        overflow = pg.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"the page scrolls sideways by {overflow}px on a phone"
        box = pg.locator(".matrix-box")
        assert box.evaluate("b => b.scrollWidth > b.clientWidth"), "the matrix scrolls inside its own box"
        assert box.evaluate("b => getComputedStyle(b).overflowX") == "auto"
        # The sample story's outlets agree on every figure and speaker (marsad.compare flagged
        # figures of different facts before): a disagreement, when shown, fits the phone.
        for k in range(pg.locator(".disagreement").count()):
            assert pg.locator(".disagreement").nth(k).bounding_box()["width"] <= PHONE["width"]
        pg.screenshot(path=str(artifacts / "story-claims-phone.png"), full_page=True)
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.slow
def test_browser_article_duplicates_and_entity_filter(
    page: Any, pipeline_server: Any, pipeline_web_db: Path, artifacts: Path
) -> None:
    copy, canonical, outlet = exact_copy(pipeline_web_db)
    page.goto(f"{pipeline_server.url}/articles/{copy}")
    section = page.locator("section.duplicates")
    assert section.is_visible()
    link = section.locator(f"li.duplicate[data-article='{canonical}'] a")
    assert link.inner_text() == outlet
    assert section.evaluate("s => getComputedStyle(s).direction") == "rtl"
    section.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "article-duplicates.png"), full_page=True)
    link.click()
    page.wait_for_url(f"**/articles/{canonical}")
    assert page.locator(f"section.duplicates li.duplicate[data-article='{copy}']").count() == 1

    page.goto(f"{pipeline_server.url}/")
    page.fill("input[name='entity']", "هدى سلامة")
    page.click("form.filters button[type='submit']")
    page.wait_for_url("**entity=*")
    arabic = page.locator("li.story-card").evaluate_all("els => els.map(e => e.dataset.story)")
    assert arabic
    page.screenshot(path=str(artifacts / "stories-entity-filter.png"), full_page=True)
    page.goto(f"{pipeline_server.url}/?entity=Huda+Salameh")
    latin = page.locator("li.story-card").evaluate_all("els => els.map(e => e.dataset.story)")
    assert sorted(latin) == sorted(arabic)
    assert not page.errors


@pytest.mark.browser
@pytest.mark.slow
def test_browser_search_by_meaning_crosses_languages(
    page: Any, pipeline_server: Any, artifacts: Path
) -> None:
    page.goto(f"{pipeline_server.url}/search?lang=en&mode=meaning&q=" + "كم عدد ضحايا الزلزال في وادي الزهرة")
    titles = page.locator(".result .result-title").all_inner_texts()[:10]
    assert any("Wadi Zahra" in t for t in titles), titles
    assert "compared with the query; shown: those scoring" in page.content()
    scores = [float(x) for x in page.locator(".result").evaluate_all("els => els.map(e => e.dataset.score)")]
    assert scores and min(scores) >= MEANING_CUT and scores == sorted(scores, reverse=True)
    assert page.locator(".result .score").first.is_visible()
    page.screenshot(path=str(artifacts / "search-meaning-cross-language.png"), full_page=False)
