"""The monitor page's forms: feeds and watchlists managed from the page under the API token, refused
from another site or without signing in; in a real browser, a feed added from the page polled from a
local server, and a watchlist added from the page raising an alert; axe on the page in ar and en."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from monitor_samples import store_article
from monitor_servers import Answer, AppServer, Server, article_html, rss

from marsad.api import ApiSettings
from marsad.app import create_app
from marsad.cluster.lexical import LexicalClusterer
from marsad.ingest.policy import FetchPolicy
from marsad.monitor.log import EventLog
from marsad.monitor.poller import FeedPoller, StoreFeedBook
from marsad.store import Store
from marsad.web import desk
from marsad.web.desk import SESSION_COOKIE

TOKEN = "desk-token-0123456789abcdef"
SITE = {"Origin": "http://testserver"}
AXE = Path(__file__).resolve().parents[2] / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(ApiSettings(db_path=tmp_path / "desk.db", meaning_search=False, api_token=TOKEN))
    with TestClient(app) as c:
        yield c


def _form_token(client: TestClient) -> str:
    found = re.search(r'name="form_token" value="([0-9a-f]{64})"', client.get("/monitor").text)
    assert found, "the signed-in page carries the form token"
    return found.group(1)


def _signed_in(client: TestClient) -> str:
    res = client.post("/monitor/session", data={"token": TOKEN}, headers=SITE)
    assert res.status_code == 200 and 'data-done="signed_in"' in res.text
    assert TOKEN not in (client.cookies.get(SESSION_COOKIE) or "")
    return _form_token(client)


def test_desk_manages_feeds_and_watchlists_with_the_api_token(client: TestClient) -> None:
    page = client.get("/monitor").text
    assert 'action="/monitor/session"' in page and 'action="/monitor/feeds"' not in page
    wrong = client.post("/monitor/session", data={"token": "not-the-token-at-all"}, headers=SITE)
    assert wrong.status_code == 401 and SESSION_COOKIE not in client.cookies
    form = _signed_in(client)

    added = client.post(
        "/monitor/feeds",
        data={
            "form_token": form,
            "url": "https://news.example/rss",
            "name": "<b>جريدة</b>",
            "every_seconds": "300",
        },
        headers=SITE,
        follow_redirects=False,
    )
    assert added.status_code == 303 and added.headers["location"].startswith("/monitor?done=feed_added")
    feeds = client.get("/api/feeds").json()
    assert [(f["url"], f["name"], f["every_seconds"]) for f in feeds] == [
        ("https://news.example/rss", "<b>جريدة</b>", 300.0)
    ]
    html = client.get("/monitor").text
    assert "&lt;b&gt;جريدة&lt;/b&gt;" in html and "<b>جريدة" not in html and "5 minutes" in html
    feed_id = feeds[0]["id"]
    client.post(f"/monitor/feeds/{feed_id}/pause", data={"form_token": form}, headers=SITE)
    assert client.get(f"/api/feeds/{feed_id}").json()["status"] == "paused"
    client.post(f"/monitor/feeds/{feed_id}/resume", data={"form_token": form}, headers=SITE)
    assert client.get(f"/api/feeds/{feed_id}").json()["status"] == "new"

    # A refused feed: the page says why, with the form filled in, and nothing is stored.
    bad = client.post(
        "/monitor/feeds",
        data={"form_token": form, "url": "ftp://files.example/feed", "every_seconds": "600"},
        headers=SITE,
    )
    assert (
        bad.status_code == 422
        and 'role="alert"' in bad.text
        and 'value="ftp://files.example/feed"' in bad.text
    )
    assert len(client.get("/api/feeds").json()) == 1

    made = client.post(
        "/monitor/watchlists",
        data={
            "form_token": form,
            "name": "لافروف",
            "entity": "Lavrov",
            "query": "",
            "outlet": "",
            "webhook_url": "",
        },
        headers=SITE,
    )
    assert made.status_code == 200 and 'data-done="watchlist_added"' in made.text
    hooked = client.post(
        "/monitor/watchlists",
        data={
            "form_token": form,
            "name": "port",
            "query": "container quay",
            "webhook_url": "http://127.0.0.1:9/h",
        },
        headers=SITE,
    )
    secret = re.search(r'<code dir="ltr" class="secret-value">([^<]+)</code>', hooked.text)
    assert secret and len(secret.group(1)) >= 32  # shown once, on the answer to the form
    assert secret.group(1) not in client.get("/monitor").text
    lists = {w["name"]: w for w in client.get("/api/watchlists").json()}
    assert lists["لافروف"]["entity"] == "Lavrov" and lists["لافروف"]["query"] is None
    assert lists["port"]["query"] == "container quay" and lists["port"]["webhook"] == "http://127.0.0.1:9/…"
    nothing = client.post("/monitor/watchlists", data={"form_token": form, "name": "empty"}, headers=SITE)
    assert nothing.status_code == 422 and "watches nothing" in nothing.text

    client.post(f"/monitor/watchlists/{lists['port']['id']}/remove", data={"form_token": form}, headers=SITE)
    client.post(f"/monitor/feeds/{feed_id}/remove", data={"form_token": form}, headers=SITE)
    assert [w["name"] for w in client.get("/api/watchlists").json()] == ["لافروف"]
    assert client.get("/api/feeds").json() == []
    gone = client.post(f"/monitor/feeds/{feed_id}/remove", data={"form_token": form}, headers=SITE)
    assert gone.status_code == 404

    client.post("/monitor/session/end", data={"form_token": form}, headers=SITE)
    assert 'action="/monitor/session"' in client.get("/monitor").text


@pytest.mark.parametrize(
    ("headers", "form_token", "status"),
    [
        ({"Origin": "https://evil.example"}, True, 403),  # another site
        ({"Origin": "null"}, True, 403),
        ({}, True, 403),  # neither Origin nor Referer: cannot tell
        ({"Referer": "https://evil.example/page"}, True, 403),
        (SITE, False, 403),  # this site, but not the page's form token
        ({"Referer": "http://testserver/monitor"}, True, 303),
        ({"Origin": "https://marsad.example", "X-Forwarded-Host": "marsad.example"}, True, 303),  # a proxy
    ],
)
def test_desk_form_refused_from_another_site_or_without_its_token(
    client: TestClient, headers: dict[str, str], form_token: bool, status: int
) -> None:
    form = _signed_in(client)
    res = client.post(
        "/monitor/feeds",
        data={"form_token": form if form_token else "0" * 64, "url": "https://news.example/rss"},
        headers=headers,
        follow_redirects=False,
    )
    assert res.status_code == status
    assert len(client.get("/api/feeds").json()) == (1 if status == 303 else 0)


def test_desk_refuses_without_sign_in_and_is_read_only_without_a_token(
    client: TestClient, tmp_path: Path
) -> None:
    res = client.post(
        "/monitor/feeds", data={"form_token": "x", "url": "https://a.example/rss"}, headers=SITE
    )
    assert res.status_code == 401 and client.get("/api/feeds").json() == []
    # A session is its expiry signed with the token: an expired or forged one is no session.
    now = int(time.time())
    for cookie in (desk._session_value(TOKEN, now - 1), f"{now + 3600}.{'0' * 64}", "garbage"):
        client.cookies.set(SESSION_COOKIE, cookie, path="/monitor")
        assert 'action="/monitor/session"' in client.get("/monitor").text
        res = client.post(
            "/monitor/feeds", data={"form_token": "x", "url": "https://a.example/rss"}, headers=SITE
        )
        assert res.status_code == 401
        client.cookies.clear()
    cross = client.post("/monitor/session", data={"token": TOKEN}, headers={"Origin": "https://evil.example"})
    assert cross.status_code == 403 and SESSION_COOKIE not in client.cookies
    app = create_app(ApiSettings(db_path=tmp_path / "open.db", meaning_search=False))
    with TestClient(app) as open_client:
        page = open_client.get("/monitor", headers={"Accept-Language": "ar"}).text
        assert "MARSAD_API_TOKEN" in page and "<form" not in page.split('id="desk"')[1].split("</section>")[0]
        refused = open_client.post("/monitor/session", data={"token": TOKEN}, headers=SITE)
        assert refused.status_code == 403


# --- in a real browser -------------------------------------------------------------------------


def _quay_site(serve: Callable[..., Server]) -> Server:
    holder: list[Server] = []

    def route(method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        if path == "/feed.xml":
            return Answer(
                200, rss(holder[0].base, [("q1", "Quay opens to ships", "/quay.html")]), "application/rss+xml"
            )
        if path == "/quay.html":
            paragraphs = [
                "The harbour authority said on Tuesday that the new container quay would open next month,"
                " after two years of building work that cost far more than first planned.",
                "Officials told reporters that ships waiting offshore would be served first.",
            ]
            return Answer(200, article_html("Quay opens to ships", paragraphs))
        return Answer(404, b"not found")

    holder.append(serve(route))
    return holder[0]


def _poll_once(db: Path) -> None:
    """One round of `marsad watch` over the stored feeds (loopback allowed)."""
    policy = FetchPolicy(
        allow_private=True, min_interval=0.0, timeout=2.0, total_timeout=4.0, retries=0, backoff=0.0
    )
    with Store(db) as store:
        poller = FeedPoller(
            store,
            StoreFeedBook(store),
            LexicalClusterer(),
            policy=policy,
            max_bytes=1_000_000,
            log=EventLog(),
        )
        try:
            poller.run(stop=threading.Event(), max_rounds=1)
        finally:
            poller.close()


def _axe(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found: list[str] = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => v.id + ': ' + v.help + ' @ '"
        " + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"
    )
    return found


@pytest.mark.slow
@pytest.mark.browser
def test_browser_desk_adds_a_feed_and_a_watchlist_that_raises_an_alert(
    chromium: Any, serve: Callable[..., Server], tmp_path: Path
) -> None:
    site = _quay_site(serve)
    db = tmp_path / "desk.db"
    settings = ApiSettings(db_path=db, meaning_search=False, api_token=TOKEN)
    violations: dict[str, list[str]] = {}
    with AppServer(create_app(settings)) as server:
        context = chromium.new_context(locale="en", bypass_csp=AXE.exists())
        page = context.new_page()
        try:
            page.goto(server.url + "/monitor")
            page.fill("#desk-token", TOKEN)
            page.click("form.desk-sign-in button")
            page.wait_for_selector("form.add-feed")
            page.fill("#feed-url", site.base + "/feed.xml")
            page.fill("#feed-name", "Harbour wire")
            page.select_option("#feed-every", "60")
            page.click("form.add-feed button")
            row = page.wait_for_selector("tr.feed.feed-new")
            assert site.base + "/feed.xml" in row.inner_text()
            _poll_once(db)
            page.reload()
            row = page.wait_for_selector("tr.feed.feed-ok")
            assert row.query_selector(".feed-items").inner_text().startswith("1")
            assert row.query_selector("time") is not None  # last fetch and next poll

            page.fill("#wl-name", "port works")
            page.fill("#wl-query", "container quay")
            page.fill("#wl-outlet", "Coastline Post")
            page.click("form.add-watchlist button")
            page.wait_for_selector("p.notice.done[data-done='watchlist_added']")
            store_article(db, "quay-2", "Second quay to open")  # Coastline Post, says "container quay"
            store_article(db, "other", "Budget vote postponed", "The city council postponed its vote.")
            page.reload()
            alerts = page.locator("li.alert").all_inner_texts()
            assert len(alerts) == 1 and "Second quay to open" in alerts[0], alerts
            if AXE.exists():
                for lang in ("ar", "en"):
                    page.goto(f"{server.url}/monitor?lang={lang}")
                    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [
                        lang,
                        "rtl" if lang == "ar" else "ltr",
                    ]
                    violations[lang] = _axe(page)
            # Removing asks first, in the reader's language: dismissed, nothing goes; accepted, it goes.
            page.goto(f"{server.url}/monitor?lang=en")
            answers = iter([False, True])
            questions: list[str] = []

            def answer(dialog: Any) -> None:
                questions.append(dialog.message)
                dialog.accept() if next(answers) else dialog.dismiss()

            page.on("dialog", answer)
            page.click("tr.feed form[data-confirm] button.remove")
            assert page.locator("tr.feed").count() == 1
            page.click("tr.feed form[data-confirm] button.remove")
            page.wait_for_selector("p.notice.done[data-done='feed_removed']")
            assert page.locator("tr.feed").count() == 0
            assert questions == ["Remove the feed Harbour wire? Its articles stay."] * 2
        finally:
            context.close()
    if not AXE.exists():
        pytest.skip(f"the forms work; axe-core is not installed at {AXE}: run `make axe`")
    assert violations == {"ar": [], "en": []}, violations
