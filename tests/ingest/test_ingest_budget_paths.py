"""The per-document time budget holds on every path: a feed's parse, and HTML extraction in a thread
(the API's workers), where no signal can interrupt the work and the budget is checked between passes."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from marsad import errors
from marsad.boundary import guarded
from marsad.extract import extract
from marsad.ingest.feeds import FeedReader
from marsad.ingest.fetch import PoliteFetcher
from marsad.ingest.policy import FetchPolicy
from marsad.records import Article, RawDocument, Rejected

BODY = "The council met on Monday and agreed a new budget for the city's schools and its hospitals. "
# An Atom entry whose XHTML content nests 20,000 levels: feedparser reads it (no recursion limit),
# in seconds.
HEAVY_FEED = (
    b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>F</title><entry><id>1</id>'
    b'<link href="http://127.0.0.1:9/a"/><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
    + b"<div>" * 20_000
    + b"x"
    + b"</div>" * 20_000
    + b"</div></content></entry></feed>"
)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    handler = partial(Quiet, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    (tmp_path / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    (tmp_path / "heavy.xml").write_bytes(HEAVY_FEED)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _reader(budget: float | None) -> FeedReader:
    policy = FetchPolicy(allow_private=True, min_interval=0.0, retries=0, timeout=10.0)
    return FeedReader(PoliteFetcher(policy), budget=budget)


def test_feed_reader_parse_over_budget_is_rejected(served: str) -> None:
    items = list(_reader(0.05).read(f"{served}/heavy.xml"))
    assert len(items) == 1 and isinstance(items[0], Rejected), items
    assert items[0].code == errors.OVER_BUDGET
    assert "heavy.xml" in items[0].detail and "time budget" in items[0].detail


def test_feed_reader_parse_within_budget_reads_entries(served: str) -> None:
    # the entry's link cannot be fetched (port 9): its content is ingested instead
    items = list(_reader(0).read(f"{served}/heavy.xml"))
    assert len(items) == 1 and isinstance(items[0], RawDocument), items


def _page(paragraphs: int) -> bytes:
    return (
        "<html><head><title>Budget agreed</title></head><body><article>"
        + "".join(f"<p>{BODY * 3} ({i})</p>" for i in range(paragraphs))
        + "</article></body></html>"
    ).encode()


def _in_thread(raw: RawDocument, budget: float) -> Article | Rejected:
    out: list[Article | Rejected] = []
    worker = threading.Thread(
        target=lambda: out.append(guarded("extract", raw.source, lambda: extract(raw), budget=budget))
    )
    worker.start()
    worker.join(60)
    return out[0]


def test_extract_html_budget_checked_in_worker_thread() -> None:
    raw = RawDocument(id="p", source="page", content=_page(400), hint="html")
    result = _in_thread(raw, 1e-4)
    assert isinstance(result, Rejected) and result.code == errors.OVER_BUDGET, result
    assert isinstance(_in_thread(raw, 60), Article)
