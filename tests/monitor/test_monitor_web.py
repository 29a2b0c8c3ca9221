"""The monitor's web face: the monitor page, and the story list updating itself in a real browser."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from monitor_samples import store_article
from monitor_servers import AppServer

from marsad.api import ApiSettings
from marsad.app import create_app
from marsad.store import Store
from marsad.store import feeds as feed_repo
from marsad.store import watchlists as watch_repo
from marsad.store.feeds import PollOutcome


def test_monitor_page_shows_feed_errors_watchlists_and_alerts(tmp_path: Path) -> None:
    db = tmp_path / "page.db"
    with Store(db) as store:
        ok = feed_repo.add_feed(store, "https://news.example/rss", every_seconds=600, name="الجريدة")
        broken = feed_repo.add_feed(store, "https://gone.example/rss", every_seconds=600)
        feed_repo.record_poll(store, ok, PollOutcome(at=datetime.now(UTC), added=3))
        gone = PollOutcome(
            at=datetime.now(UTC), error="https://gone.example/rss: HTTP status 404", error_code="E108"
        )
        feed_repo.record_poll(store, broken, gone)
        watch_repo.add_watchlist(store, "quay", query="container quay")
    store_article(db, "a1", "Quay opens <script>alert(1)</script>")
    with TestClient(create_app(ApiSettings(db_path=db, meaning_search=False))) as client:
        html = client.get("/monitor").text
        arabic = client.get("/monitor", headers={"Accept-Language": "ar"}).text
    assert '<html lang="ar" dir="rtl">' in arabic and "قوائم المراقبة" in arabic and "متعطلة" in arabic
    words = re.sub(r"<[^>]+>", " ", arabic)
    assert "Watchlists" not in words and "failing" not in words and "never" not in words
    # Timestamps read left to right as one piece inside the Arabic page; user text keeps its own direction.
    times = re.findall(r"<time[^>]*>", arabic)
    assert times and all('dir="ltr"' in t for t in times)
    assert '<td dir="auto">container quay</td>' in arabic
    assert "1 failing" in html and "HTTP status 404" in html and "E108" in html
    assert '<span class="badge status error">error</span>' in html and "الجريدة" in html
    assert "container quay" in html and "Quay opens &lt;script&gt;" in html and "<script>alert" not in html


@pytest.mark.slow
@pytest.mark.browser
def test_story_list_shows_an_article_ingested_while_open_within_2s(tmp_path: Path, chromium: Any) -> None:
    db = tmp_path / "live.db"
    store_article(
        db, "old", "Budget vote postponed", "The city council postponed its budget vote to next week."
    )
    with AppServer(create_app(ApiSettings(db_path=db, meaning_search=False))) as server:
        page = chromium.new_page()
        try:
            page.goto(server.url + "/")
            page.wait_for_selector("li.story-card")
            time.sleep(1.0)  # the event stream is open
            stored = time.monotonic()
            store_article(db, "new", "Quay opens at last")
            page.wait_for_selector("li.story-card.fresh >> text=Quay opens at last", timeout=2000)
            appeared = time.monotonic() - stored
            banner = page.text_content("p.live-banner")
            # A second article of that story updates its card in place.
            store_article(db, "new2", "Quay opens at last, ships wait")
            page.wait_for_function(
                "() => [...document.querySelectorAll('li.story-card .count')]"
                ".some(c => c.textContent === '2 articles')",
                timeout=3000,
            )
        finally:
            page.close()
    assert appeared < 2.0, appeared
    assert banner is not None and "1 update since you opened this page" in banner
    print(f"the new story appeared {appeared:.2f} s after it was stored")


@pytest.mark.slow
@pytest.mark.browser
def test_browser_marks_what_arrived_since_the_last_visit_on_the_list_and_the_story(
    tmp_path: Path, chromium: Any
) -> None:
    db = tmp_path / "visits.db"
    store_article(
        db, "old", "Budget vote postponed", "The city council postponed its budget vote to next week."
    )
    store_article(db, "quay1", "Quay opens at last")
    with Store(db) as store:
        story = store.conn.execute(
            "SELECT m.story_id FROM story_members m JOIN articles a ON a.id = m.article_id"
            " WHERE a.title = 'Quay opens at last'"
        ).fetchone()[0]
    with AppServer(create_app(ApiSettings(db_path=db, meaning_search=False))) as server:
        context = chromium.new_context(locale="ar")
        page = context.new_page()
        try:
            page.goto(server.url + "/")  # a first visit marks nothing
            first_list = page.locator("li.story-card.fresh").count()
            page.goto(f"{server.url}/stories/{story}")
            first_story = page.locator("li.source-card.fresh").count()
            time.sleep(1.2)  # the store keeps times to the second
            store_article(db, "quay2", "Quay opens at last, ships wait")
            page.goto(server.url + "/")
            marked = page.locator("li.story-card.fresh").evaluate_all(
                "els => els.map(e => [e.dataset.story, e.querySelector('.badge.fresh').textContent])"
            )
            page.goto(f"{server.url}/stories/{story}")
            fresh_sources = page.locator("li.source-card.fresh").evaluate_all(
                "els => els.map(e => [e.dataset.article, e.querySelector('.badge.fresh').textContent])"
            )
        finally:
            context.close()
    assert first_list == 0 and first_story == 0
    assert marked == [[story, "جديد منذ زيارتك الأخيرة"]]  # the budget story did not change
    with Store(db) as store:
        second, joined = store.conn.execute(
            "SELECT a.id, m.story_id FROM articles a JOIN story_members m ON m.article_id = a.id"
            " WHERE a.title LIKE '%ships wait'"
        ).fetchone()
    assert joined == story
    assert fresh_sources == [[second, "جديد منذ زيارتك الأخيرة"]]


@pytest.mark.slow
@pytest.mark.browser
def test_story_page_announces_a_source_joining_while_open_within_2s(tmp_path: Path, chromium: Any) -> None:
    db = tmp_path / "story-live.db"
    store_article(db, "quay1", "Quay opens at last")
    with Store(db) as store:
        story = store.conn.execute("SELECT story_id FROM story_members").fetchone()[0]
    with AppServer(create_app(ApiSettings(db_path=db, meaning_search=False))) as server:
        context = chromium.new_context(locale="fr")
        page = context.new_page()
        try:
            page.goto(f"{server.url}/stories/{story}")
            assert page.locator(".live-banner").is_hidden()
            time.sleep(1.0)  # the event stream is open
            stored = time.monotonic()
            store_article(db, "quay2", "Quay opens at last, ships wait")
            page.wait_for_selector(".live-banner li >> text=Quay opens at last, ships wait", timeout=2000)
            appeared = time.monotonic() - stored
            store_article(db, "other", "Budget vote postponed", "The city council postponed its vote.")
            time.sleep(1.5)  # another story's article is not announced here
            banner = page.locator(".live-banner").evaluate(
                "b => [b.querySelector('p').textContent, b.querySelectorAll('li').length,"
                " b.querySelector('li .source').textContent]"
            )
        finally:
            context.close()
    assert appeared < 2.0, appeared
    print(f"the story page announced the new source {appeared:.2f} s after it was stored")
    assert banner == [
        "1 nouvelle source a rejoint ce sujet depuis l’ouverture de la page :",
        1,
        "Coastline Post",
    ]
