"""Feeds kept in the store and polled on their own schedules: `marsad feeds`, the API, and the poller
against real local servers, a few of whose feeds are broken."""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from monitor_servers import Answer, Server, article_html, refused_url, rss
from typer.testing import CliRunner

from marsad.api import ApiSettings
from marsad.app import create_app
from marsad.cli.main import app
from marsad.cluster.lexical import LexicalClusterer
from marsad.ingest.policy import FetchPolicy
from marsad.monitor.log import EventLog
from marsad.monitor.poller import FeedPoller, StoreFeedBook
from marsad.store import Store
from marsad.store import feeds as feed_repo

TOKEN = "test-token-0123456789abcdef"
PARAGRAPHS = [
    "The harbour authority of Port {i} said on Tuesday that the new container quay would open next month,"
    " after two years of building work that cost far more than first planned.",
    "Officials told reporters that ships waiting offshore would be served first, and that the quay could"
    " take vessels twice as large as the ones that call at the port today.",
    "Dock workers' union {i} welcomed the opening but asked for talks on shifts, saying that the longer"
    " hours expected at the new quay had not been discussed with its members.",
]


def news_route(base: Callable[[], str]) -> Callable[[str, str, dict[str, str], bytes], Answer]:
    """Feeds /feed/<i>.xml (ETag, 304 when unchanged) each with one page /page/<i>.html, and broken feeds."""

    def route(method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        if path.startswith("/feed/"):
            i = path.removeprefix("/feed/").removesuffix(".xml")
            etag = f'"feed-{i}"'
            if headers.get("if-none-match") == etag:
                return Answer(304, b"", headers={"ETag": etag})
            items = [(f"g{i}", f"Quay number {i} opens", f"/page/{i}.html")]
            return Answer(200, rss(base(), items), "application/rss+xml", {"ETag": etag})
        if path.startswith("/page/"):
            i = path.removeprefix("/page/").removesuffix(".html")
            text = [p.format(i=i) for p in PARAGRAPHS]
            return Answer(200, article_html(f"Quay number {i} opens", text))
        if path == "/broken/slow.xml":
            return Answer(200, rss(base(), []), "application/rss+xml", delay=3.0)
        if path == "/broken/malformed.xml":
            return Answer(200, b"<rss version='2.0'><channel><<< not xml", "application/rss+xml")
        if path == "/broken/loop-a.xml":
            return Answer(302, b"", headers={"Location": "/broken/loop-b.xml"})
        if path == "/broken/loop-b.xml":
            return Answer(302, b"", headers={"Location": "/broken/loop-a.xml"})
        return Answer(404, b"not found")

    return route


def _site(serve: Callable[..., Server]) -> Server:
    holder: list[Server] = []
    server = serve(news_route(lambda: holder[0].base))
    holder.append(server)
    return server


@pytest.mark.slow
def test_poller_keeps_100_feeds_on_schedule_while_5_are_broken(
    serve: Callable[..., Server], tmp_path: Path, fast_policy: FetchPolicy
) -> None:
    # Four sites of 24-25 feeds; the slow feed sits on the first, so its timeouts must not delay
    # the feeds of the others, and the feeds of its own site must still come round.
    sites = [_site(serve) for _ in range(4)]
    every = 2.0
    healthy = {f"{sites[i % 4].base}/feed/{i}.xml": sites[i % 4] for i in range(95)}
    broken = {
        f"{sites[0].base}/broken/404.xml": "HTTP status 404",
        f"{sites[0].base}/broken/slow.xml": "timed out",
        f"{sites[1].base}/broken/malformed.xml": "not a readable feed",
        # The real cause, not "disallowed by robots.txt" (issue 12): nothing answers at that port.
        refused_url(): "cannot reach",
        f"{sites[2].base}/broken/loop-a.xml": "redirect loop",
    }
    db = tmp_path / "feeds.db"
    log_file = tmp_path / "watch.log"
    with Store(db) as store, log_file.open("w", encoding="utf-8") as log_stream:
        for url in [*healthy, *broken]:
            feed_repo.add_feed(store, url, every_seconds=every)
        stop = threading.Event()
        poller = FeedPoller(
            store,
            StoreFeedBook(store),
            LexicalClusterer(),
            policy=fast_policy,
            max_bytes=1_000_000,
            log=EventLog(stream=log_stream),
        )
        started = time.monotonic()
        timer = threading.Timer(15.0, stop.set)
        timer.start()
        try:
            poller.run(stop=stop)
        finally:
            poller.close()
        ran = time.monotonic() - started
        feeds = {f.url: f for f in feed_repo.list_feeds(store)}

    for url, site in healthy.items():
        feed = feeds[url]
        assert feed.status == "ok" and feed.last_error is None, (url, feed)
        assert feed.items == 1, (url, feed.items)
        polls = site.times(url.removeprefix(site.base))
        gaps = [b - a for a, b in itertools.pairwise(polls)]
        # On schedule: never sooner than the interval after the last poll (less the jitter of a
        # request on its way: the server stamps arrivals, and a request delayed 0.1 s on a loaded
        # 2-core CI machine made the next gap 1.898 s) and, once the first poll's 95 new articles
        # are stored (one writer), never far behind. A poller that polled early (half the
        # interval, back to back) still fails.
        assert len(polls) >= 3, (url, len(polls), ran)
        assert all(gap >= every - 0.4 for gap in gaps), (url, gaps)
        assert all(gap <= every + 1.0 for gap in gaps[1:]), (url, gaps)
    for url, reason in broken.items():
        feed = feeds[url]
        assert feed.status == "error" and feed.errors_in_row >= 1, (url, feed)
        assert feed.last_error is not None and reason in feed.last_error, (url, feed.last_error)
        assert feed.items == 0
    log = (tmp_path / "watch.log").read_text("utf-8")
    assert "Quay number 7 opens" in log and "redirect loop" in log and "round 1:" in log


def test_feeds_cli_add_list_pause_resume_remove(tmp_path: Path) -> None:
    db = ["--db", str(tmp_path / "cli.db")]
    runner = CliRunner()
    url = "https://news.example/rss"
    added = runner.invoke(app, ["feeds", "add", url, "--name", "News", "--every", "5m", *db])
    assert added.exit_code == 0, added.output
    assert "feed 1: https://news.example/rss every 5m" in added.output
    listed = json.loads(runner.invoke(app, ["feeds", "list", "--json", *db]).output)
    assert listed[0]["status"] == "new" and listed[0]["every_seconds"] == 300 and listed[0]["name"] == "News"
    assert runner.invoke(app, ["feeds", "pause", "1", *db]).exit_code == 0
    paused = json.loads(runner.invoke(app, ["feeds", "list", "--json", *db]).output)[0]
    assert paused["status"] == "paused" and paused["next_poll"] is None
    assert runner.invoke(app, ["feeds", "resume", "https://news.example/rss", *db]).exit_code == 0
    table = runner.invoke(app, ["feeds", "list", *db]).output
    assert "new" in table and "never" in table
    assert runner.invoke(app, ["feeds", "remove", "1", *db]).exit_code == 0
    assert json.loads(runner.invoke(app, ["feeds", "list", "--json", *db]).output) == []
    bad = runner.invoke(app, ["feeds", "add", "ftp://news.example/rss", *db])
    assert bad.exit_code != 0 and "http" in str(bad.exception)


def test_feeds_api_reads_openly_and_writes_with_the_token(tmp_path: Path) -> None:
    settings = ApiSettings(db_path=tmp_path / "api.db", meaning_search=False, api_token=TOKEN)
    with TestClient(create_app(settings)) as client:
        body = {"url": "https://news.example/feed.xml", "name": "الجريدة", "every_seconds": 120}
        assert client.post("/api/feeds", json=body).status_code == 401
        auth = {"Authorization": f"Bearer {TOKEN}"}
        created = client.post("/api/feeds", json=body, headers=auth)
        assert created.status_code == 201, created.text
        feed = created.json()
        assert feed["name"] == "الجريدة" and feed["status"] == "new"
        assert client.get("/api/feeds").json()[0]["url"] == body["url"]
        bad = client.post("/api/feeds", json={"url": "file:///etc/passwd"}, headers=auth)
        assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")
        patched = client.patch(f"/api/feeds/{feed['id']}", json={"paused": True}, headers=auth)
        assert patched.json()["status"] == "paused"
        assert client.delete(f"/api/feeds/{feed['id']}").status_code == 401
        assert client.delete(f"/api/feeds/{feed['id']}", headers=auth).status_code == 204
        assert client.get(f"/api/feeds/{feed['id']}").status_code == 404


def test_watch_without_arguments_polls_the_stored_feeds(serve: Callable[..., Server], tmp_path: Path) -> None:
    site = _site(serve)
    db = ["--db", str(tmp_path / "watch.db")]
    runner = CliRunner()
    for i in (1, 2):
        runner.invoke(app, ["feeds", "add", f"{site.base}/feed/{i}.xml", "--every", "1s", *db])
    runner.invoke(app, ["feeds", "add", f"{site.base}/broken/404.xml", "--name", "Gone", *db])
    result = runner.invoke(app, ["watch", "--max-rounds", "2", "--allow-private", "--log-json", *db])
    # The README's exit codes: a feed that failed is a rejected input, named once at the end -> 1.
    assert result.exit_code == 1, result.output
    summary = result.output.split("summary of this run:")[1]
    assert "1 input(s) rejected" in summary and summary.count("404.xml: HTTP status 404") == 1
    events = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert all(e["ts"].endswith("Z") for e in events)
    first = [e for e in events if e["event"] == "feed" and e["feed"] == f"{site.base}/feed/1.xml"]
    assert first[0]["titles"] == ["Quay number 1 opens"] and first[1]["titles"] == []
    errors = [e for e in events if e["event"] == "error"]
    assert errors and "Gone" in errors[0]["message"] and "404" in errors[0]["error"]
    listed = json.loads(runner.invoke(app, ["feeds", "list", "--json", *db]).output)
    by_url = {f["url"]: f for f in listed}
    assert by_url[f"{site.base}/broken/404.xml"]["status"] == "error"
    assert by_url[f"{site.base}/feed/2.xml"]["items"] == 1


def test_watch_without_feeds_says_how_to_add_them(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["watch", "--db", str(tmp_path / "empty.db")])
    assert result.exit_code == 1 and "marsad feeds add" in str(result.exception)
