"""Storyline pages: the stories of one developing event on a timeline, the list of storylines, and
the link from a story page; in Arabic and English."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from marsad.api import ApiSettings
from marsad.app import create_app
from marsad.store import Store
from marsad.store import storylines as storyline_repo


@pytest.fixture(scope="module")
def linked(web_db: Path) -> tuple[str, list[str], str]:
    """Two stories of the store put in one storyline, as the clusterer does for a later event of a
    developing story (this module's own copy of the store); and a story left alone."""
    with Store(web_db) as store:
        stories = [
            r[0] for r in store.conn.execute("SELECT id FROM stories WHERE size > 0 ORDER BY id LIMIT 3")
        ]
        line = storyline_repo.storyline_of(store, stories[0])
        assert line is not None
        store.conn.execute(
            "UPDATE story_storylines SET storyline_id = ? WHERE story_id = ?", (line, stories[1])
        )
        store.conn.commit()
    return line, stories[:2], stories[2]


@pytest.fixture(scope="module")
def client(web_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(ApiSettings(db_path=web_db, meaning_search=False))) as c:
        yield c


def test_story_page_links_to_its_storyline_and_back(
    client: TestClient, linked: tuple[str, list[str], str], web_db: Path
) -> None:
    line, stories, alone = linked
    page = client.get(f"/stories/{stories[0]}", headers={"Accept-Language": "en"}).text
    link = re.search(r'<p class="storyline-link">(.*?)</p>', page, re.S)
    assert link and "Part of a storyline of 2 stories:" in link.group(1)
    assert f'href="/storylines/{line}?story={stories[0]}"' in link.group(1)
    assert 'class="storyline-link"' not in client.get(f"/stories/{alone}").text  # a storyline of one story

    arabic = client.get(f"/storylines/{line}?story={stories[0]}", headers={"Accept-Language": "ar"})
    assert arabic.status_code == 200 and '<html lang="ar" dir="rtl">' in arabic.text
    assert "قصصه بترتيبها الزمني" in arabic.text and "جزء من" not in arabic.text
    shown = re.findall(
        r'<li class="source-card storyline-story( current)?" data-story="([^"]+)"', arabic.text
    )
    assert sorted(s for _, s in shown) == sorted(stories)
    assert [s for cur, s in shown if cur] == [stories[0]] and 'aria-current="page"' in arabic.text
    with Store(web_db) as store:
        found = storyline_repo.get_storyline(store, line)
    assert found is not None
    expected = [s.id for s in found.stories]
    assert [s for _, s in shown] == expected  # in time order
    assert all(f'href="/stories/{s}"' in arabic.text for s in stories)
    times = re.findall(r"<time[^>]*>", arabic.text)
    assert all('dir="ltr"' in t for t in times)


def test_storylines_list_shows_only_storylines_of_several_stories(
    client: TestClient, linked: tuple[str, list[str], str]
) -> None:
    line, _, _ = linked
    page = client.get("/storylines", headers={"Accept-Language": "fr"}).text
    assert re.findall(r'data-storyline="([^"]+)"', page) == [line]
    assert "Fils d’actualité" in page and "2 sujets" in page
    missing = client.get("/storylines/lnope")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    assert client.get("/storylines/bad%20id").status_code == 422
