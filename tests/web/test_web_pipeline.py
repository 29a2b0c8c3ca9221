"""The pages over a store built by the real ingest pipeline: duplicate groups on the article page,
split pairs as one row and the basis of "first reported" on the story page, the entity filter on the
story list, search by meaning; in HTML and in a real browser (screenshots in test-artifacts/)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from marsad.api import ApiSettings, create_app
from marsad.api.comparison import find_compare_story
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


@needs_compare
def test_story_page_renders_a_split_as_one_row(
    client: TestClient, pipeline_web_db: Path, story_with: Callable[[Path, str], str]
) -> None:
    story = story_with(pipeline_web_db, "Wadi Zahra survivors")
    data = client.get(f"/api/stories/{story}").json()
    sizes: dict[int, int] = {}
    for pair in data["comparison"]["pairs"]:
        sizes[pair["group"]] = sizes.get(pair["group"], 0) + 1
    split_groups = {g for g, n in sizes.items() if n > 1}
    html = client.get(f"/stories/{story}").text
    rows = re.findall(r'<li class="pair [^"]*" data-pair="(\d+)"[^>]*data-split="(yes|no)"', html)
    keys = [int(k) for k, _ in rows]
    assert sorted(keys) == sorted(sizes), "one row per group"
    assert {int(k) for k, split in rows if split == "yes"} == split_groups
    # In a split row one side shows one sentence and the other two, all under the row's key.
    key = min(split_groups)
    row = html[html.index(f'data-pair="{key}" data-kind') :]
    row = row[: row.index("</li>")]
    assert sorted(re.findall(r'data-sentences="(\d)"', row)) == ["1", "2"]
    assert row.count('<mark class="shared') == 3 and "1 sentence" in row and "2 sentences" in row


@needs_compare
def test_story_page_says_how_first_reporter_was_told(
    client: TestClient, pipeline_web_db: Path, story_with: Callable[[Path, str], str]
) -> None:
    story = story_with(pipeline_web_db, "Wadi Zahra survivors")
    html = client.get(f"/stories/{story}").text
    line = re.search(r'<p class="first-reported" data-basis="published">(.*?)</p>', html, re.S)
    assert line is not None
    assert "by stated publication time" in line.group(1)


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


@needs_compare
@pytest.mark.browser
@pytest.mark.slow
def test_browser_split_row_lights_all_three_sentences(
    page: Any,
    pipeline_server: Any,
    pipeline_web_db: Path,
    artifacts: Path,
    story_with: Callable[[Path, str], str],
) -> None:
    story = story_with(pipeline_web_db, "Wadi Zahra survivors")
    page.goto(f"{pipeline_server.url}/stories/{story}")
    row = page.locator("li.pair.split[data-kind='quote']").first
    assert row.count() == 1
    key = row.get_attribute("data-pair")
    sides = row.locator(".side")
    counts = sorted(sides.evaluate_all("els => els.map(e => e.querySelectorAll('mark').length)"))
    assert counts == [1, 2]
    # The two sentences of one side stack inside that side, beside the one sentence of the other.
    boxes = sides.evaluate_all(
        "els => els.map(s => [...s.querySelectorAll('mark')].map(m => {"
        " const r = m.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top}; }))"
    )
    single, double = sorted(boxes, key=len)
    assert double[1]["top"] > double[0]["top"]
    assert abs(double[1]["left"] - double[0]["left"]) < 2 and abs(double[1]["right"] - double[0]["right"]) < 2
    assert single[0]["right"] <= double[0]["left"] or single[0]["left"] >= double[0]["right"]
    row.scroll_into_view_if_needed()
    row.locator("mark").first.hover()
    assert page.locator(f"li.pair mark.active[data-pair='{key}']").count() == 3
    first = page.locator("p.first-reported .basis-words")
    assert first.inner_text().startswith("by stated publication time")
    page.screenshot(path=str(artifacts / "story-split-row.png"), full_page=False, clip=_clip(row))
    assert not page.errors


def _clip(locator: Any) -> dict[str, float]:
    box = locator.bounding_box()
    return {"x": 0, "y": max(0.0, box["y"] - 10), "width": 1280, "height": box["height"] + 20}


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
    page.goto(f"{pipeline_server.url}/search?mode=meaning&q=" + "كم عدد ضحايا الزلزال في وادي الزهرة")
    titles = page.locator(".result .result-title").all_inner_texts()[:10]
    assert any("Wadi Zahra" in t for t in titles), titles
    assert "embeddings stored at ingest" in page.content()
    page.screenshot(path=str(artifacts / "search-meaning-cross-language.png"), full_page=False)
