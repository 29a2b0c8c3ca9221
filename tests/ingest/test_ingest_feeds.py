"""Feeds, feed lists and URL ingest, end to end against a real local HTTP server and store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from marsad import errors
from marsad.cli.commands.watch import parse_every
from marsad.cli.main import app
from marsad.cluster.lexical import LexicalClusterer
from marsad.errors import InputError
from marsad.extract import extract
from marsad.ingest import open_sources
from marsad.ingest.feeds import is_feed_list, parse_feed, read_feed_list
from marsad.ingest.fetch import PoliteFetcher
from marsad.ingest.policy import FetchPolicy
from marsad.pipeline import ingest
from marsad.records import RawDocument, Rejected
from marsad.store import Store
from marsad.store import articles as article_repo
from marsad.store.fetch_state import StoreFetchStates

Site = Any  # the `site` fixture of tests/ingest/conftest.py
FIXTURES = Path(__file__).parent / "fixtures"


def _fetcher(store: Store | None = None) -> PoliteFetcher:
    policy = FetchPolicy(allow_private=True, min_interval=0.0, retries=0, timeout=5.0)
    return PoliteFetcher(policy, StoreFetchStates(store) if store is not None else None)


def test_parse_feed_reads_rss_entries_with_dates() -> None:
    feed = parse_feed((FIXTURES / "feed.xml").read_bytes(), "http://example.org/feed.xml")
    assert feed.title == "جريدة المرصد"
    assert [e.entry_id.rsplit("/", 1)[-1] for e in feed.entries] == ["a1", "a2", "a3", "a4"]
    assert feed.entries[0].published == "2016-05-24T08:00:00+00:00"
    assert "رصيف الحاويات" in (feed.entries[3].content_html or "")


def test_parse_feed_rejects_malformed_feed() -> None:
    with pytest.raises(InputError) as info:
        parse_feed((FIXTURES / "malformed.xml").read_bytes(), "http://example.org/bad.xml")
    assert info.value.code == errors.BAD_RECORD
    assert "bad.xml" in str(info.value)


def test_feed_list_files_are_recognised(tmp_path: Path) -> None:
    listing = tmp_path / "feeds.txt"
    listing.write_text("# Arabic outlets\nhttps://a.example/rss\n\nhttp://b.example/atom.xml\n", "utf-8")
    dump = tmp_path / "dump.txt"
    dump.write_text("عنوان الخبر\n\nنص الخبر https://a.example/rss\n", "utf-8")
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<opml version="2.0"><body><outline text="x" xmlUrl="https://c.example/feed"/></body></opml>', "utf-8"
    )
    assert is_feed_list(listing) and is_feed_list(opml) and not is_feed_list(dump)
    assert read_feed_list(listing) == ["https://a.example/rss", "http://b.example/atom.xml"]
    assert read_feed_list(opml) == ["https://c.example/feed"]


def test_open_sources_reads_a_feed_politely(site: Site) -> None:
    with _fetcher() as fetcher:
        items = list(open_sources([f"{site.base}/feed.xml"], max_bytes=1_000_000, fetcher=fetcher))
    docs = [i for i in items if isinstance(i, RawDocument)]
    rejected = [i for i in items if isinstance(i, Rejected)]
    # 1.html (utf-8), 2.html (windows-1256), gone.html from the feed's own content:encoded.
    assert [d.url for d in docs] == [
        f"{site.base}/articles/1.html",
        f"{site.base}/articles/2.html",
        f"{site.base}/gone.html",
    ]
    assert len(rejected) == 1 and "robots.txt" in rejected[0].detail
    assert site.hits["/private/secret.html"] == 0
    legacy = extract(docs[1])
    assert legacy.title == "افتتاح قمة سنابل الاقتصادية في العاصمة"
    assert "قمة سنابل" in legacy.body
    from_feed = extract(docs[2])
    assert "رصيف الحاويات" in from_feed.body
    assert from_feed.published is not None and from_feed.published.date().isoformat() == "2016-05-26"


def test_open_sources_ingests_a_single_page_url(site: Site) -> None:
    items = list(open_sources([f"{site.base}/articles/en.html"], max_bytes=1_000_000, allow_private=True))
    assert len(items) == 1 and isinstance(items[0], RawDocument)
    article = extract(items[0])
    assert article.title == "Port workers end strike after pay deal"
    assert article.agencies == ("Reuters",)


def test_open_sources_refuses_loopback_by_default(site: Site) -> None:
    items = list(open_sources([f"{site.base}/feed.xml"], max_bytes=1_000_000))
    assert len(items) == 1 and isinstance(items[0], Rejected)
    assert items[0].code == errors.FETCH_FAILED and "non-public" in items[0].detail


def test_open_sources_rejects_malformed_feed_and_goes_on(site: Site) -> None:
    with _fetcher() as fetcher:
        items = list(
            open_sources(
                [f"{site.base}/malformed.xml", f"{site.base}/atom.xml"], max_bytes=1_000_000, fetcher=fetcher
            )
        )
    assert isinstance(items[0], Rejected) and "malformed.xml" in items[0].detail
    assert [i.url for i in items[1:] if isinstance(i, RawDocument)] == [f"{site.base}/articles/en.html"]


def test_feed_poll_does_not_refetch_known_pages(site: Site, store: Store) -> None:
    with _fetcher(store) as fetcher:
        first = list(open_sources([f"{site.base}/atom.xml"], max_bytes=1_000_000, fetcher=fetcher))
        second = list(open_sources([f"{site.base}/atom.xml"], max_bytes=1_000_000, fetcher=fetcher))
    assert len(first) == 1 and second == []
    assert site.hits["/articles/en.html"] == 1


def test_ingest_from_feed_list_into_store(site: Site, store: Store, tmp_path: Path) -> None:
    listing = tmp_path / "feeds.txt"
    listing.write_text(f"{site.base}/feed.xml\n{site.base}/atom.xml\n", "utf-8")
    with _fetcher(store) as fetcher:
        report = ingest(
            store, open_sources([str(listing)], max_bytes=1_000_000, fetcher=fetcher), LexicalClusterer()
        )
    assert report.added == 4
    assert len(report.rejected) == 1
    assert article_repo.counts(store)["articles"] == 4


def test_watch_polls_rounds_and_ingests_once(site: Site, tmp_path: Path) -> None:
    db = tmp_path / "watch.db"
    result = CliRunner().invoke(
        app,
        [
            "watch",
            f"{site.base}/etag.xml",
            "--every",
            "1s",
            "--max-rounds",
            "2",
            "--allow-private",
            "--db",
            str(db),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "round 1: 1 added" in result.output and "round 2: 0 added" in result.output
    assert site.hits["/etag.xml"] == 2 and site.hits["/articles/en.html"] == 1
    with Store(db) as s:
        assert article_repo.counts(s)["articles"] == 1


def test_cli_ingest_fetches_with_the_configured_fetch_section(site: Site, tmp_path: Path) -> None:
    # [fetch] in a user config reaches the fetcher: its user agent on the wire, and allow_private
    # from the file instead of --allow-private.
    config = tmp_path / "marsad.toml"
    config.write_text('[fetch]\nuser_agent = "observatory-test/1"\nallow_private = true\n', encoding="utf-8")
    db = tmp_path / "cfg.db"
    result = CliRunner().invoke(
        app, ["ingest", f"{site.base}/articles/en.html", "--db", str(db), "--config", str(config)]
    )
    assert result.exit_code == 0, result.output
    assert site.headers["/articles/en.html"]["user-agent"] == "observatory-test/1"
    with Store(db) as s:
        assert article_repo.counts(s)["articles"] == 1


@pytest.mark.parametrize(("text", "seconds"), [("90", 90.0), ("30s", 30.0), ("10m", 600.0), ("1h", 3600.0)])
def test_parse_every_reads_durations(text: str, seconds: float) -> None:
    assert parse_every(text) == seconds


def test_parse_every_rejects_nonsense() -> None:
    with pytest.raises(InputError, match="--every"):
        parse_every("soon")
