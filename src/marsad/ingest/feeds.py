"""RSS 2.0 / Atom feeds and feed lists: feed -> entries -> article pages, fetched politely.

feedparser (a well-kept parser that copes with the malformed XML real feeds serve) reads the
feed; each entry's page is fetched through the `PoliteFetcher`. A page fetched once is not
fetched again on later polls (its state is kept; the feed only tells what is new). When a page
cannot be fetched, an entry that carries its full text (content:encoded, Atom content) is
ingested from the feed instead; otherwise the entry is rejected with the reason.
A URL that answers with an HTML page instead of a feed is ingested as that one page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from marsad import errors
from marsad.boundary import guarded, guarded_items, rejection
from marsad.errors import InputError
from marsad.ingest.fetch import FetchError, FetchResult, PoliteFetcher
from marsad.ingest.files import content_id
from marsad.records import RawDocument, Rejected

MAX_ENTRIES = 500
MAX_FEED_LIST_BYTES = 1_000_000
# Entry text shorter than this is a teaser, not the article.
MIN_ENTRY_CONTENT_CHARS = 200
_URL_LINE = re.compile(r"^https?://\S+$", re.IGNORECASE)
_FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
)
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)

Item = RawDocument | Rejected


@dataclass(slots=True, frozen=True)
class FeedEntry:
    """One item of a feed: where the article is and what the feed says about it."""

    entry_id: str
    link: str | None
    title: str | None
    published: str | None  # ISO 8601
    content_html: str | None


@dataclass(slots=True, frozen=True)
class Feed:
    url: str
    title: str | None
    entries: tuple[FeedEntry, ...]


def _reject(code: str, record: str, detail: str) -> Rejected:
    return Rejected(stage="ingest", code=code, record_id=record, detail=f"{record}: {detail}")


def looks_like_feed(content: bytes, content_type: str | None) -> bool:
    """Whether a response is a feed: its content type, else an <rss>, <feed> or <rdf:RDF> root."""
    if content_type and content_type.startswith(("application/rss", "application/atom", "application/rdf")):
        return True
    if content_type and "html" in content_type:
        return False
    return bool(_FEED_ROOT.search(content[:2048]))


def _iso(parsed: Any) -> str | None:
    if not parsed:
        return None
    try:
        year, month, day, hour, minute, second = (int(x) for x in parsed[:6])
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC).isoformat()
    except (TypeError, ValueError):
        return None


def _entry(raw: Any, index: int) -> FeedEntry:
    link = raw.get("link") if isinstance(raw.get("link"), str) else None
    content = None
    for part in raw.get("content") or []:
        if isinstance(part.get("value"), str) and len(part["value"]) > len(content or ""):
            content = part["value"]
    return FeedEntry(
        entry_id=str(raw.get("id") or link or index),
        link=link,
        title=raw.get("title") if isinstance(raw.get("title"), str) else None,
        published=_iso(raw.get("published_parsed") or raw.get("updated_parsed")),
        content_html=content,
    )


_ENTRY_END = re.compile(rb"</(?:[a-z0-9_]+:)?(item|entry)\s*>", re.IGNORECASE)
_ROOT_CLOSE = {b"item": b"</channel></rss>", b"entry": b"</feed>"}


def first_entries(content: bytes, limit: int) -> bytes:
    """`content` cut after its `limit`-th item or entry, the root closed again: feedparser parses a
    document whole, so a 45,000-item feed cost a minute of CPU per poll for the 500 items kept.
    One linear scan for the closing tags; a feed within the limit is returned as it is."""
    for count, match in enumerate(_ENTRY_END.finditer(content), start=1):
        if count == limit:
            end = match.end()
            if _ENTRY_END.search(content, end) is None:
                return content
            closing = _ROOT_CLOSE[match.group(1).lower()]
            if b"rdf:rdf" in content[:4096].lower():
                closing = b"</rdf:RDF>"
            return content[:end] + closing
    return content


def parse_feed(content: bytes, url: str, *, content_type: str | None = None) -> Feed:
    """An RSS 2.0, RSS 1.0 or Atom feed. Raises InputError E105 when no entry can be read."""
    import feedparser

    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(
        first_entries(content, MAX_ENTRIES), response_headers=headers, sanitize_html=True
    )
    if not parsed.entries:
        reason = (
            f"not a readable feed ({parsed.get('bozo_exception')})" if parsed.bozo else "feed has no entries"
        )
        raise InputError(f"{url}: {reason}", code=errors.BAD_RECORD)
    entries = tuple(_entry(e, i) for i, e in enumerate(parsed.entries[:MAX_ENTRIES]))
    title = parsed.feed.get("title") if isinstance(parsed.feed.get("title"), str) else None
    return Feed(url=url, title=title, entries=entries)


def is_feed_list(path: Path) -> bool:
    """An .opml file, or a small text file whose every non-comment line is an http(s) URL."""
    suffix = path.suffix.lower()
    if suffix == ".opml":
        return True
    if suffix not in {".txt", ".list", ".feeds", ""} or not path.is_file():
        return False
    try:
        if path.stat().st_size > MAX_FEED_LIST_BYTES:
            return False
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    return bool(lines) and all(_URL_LINE.match(line) for line in lines)


def read_feed_list(path: Path) -> list[str]:
    """The feed URLs of a feed list: one URL a line (# comments) or OPML outlines' xmlUrl.

    Raises InputError E106 when the file cannot be read or parsed.
    """
    try:
        data = path.read_bytes()[: MAX_FEED_LIST_BYTES + 1]
    except OSError as exc:
        raise InputError(f"{path}: cannot read feed list: {exc}", code=errors.UNREADABLE) from exc
    if path.suffix.lower() == ".opml":
        # expat (2.4.1+, bundled with Python 3.11) refuses entity-expansion bombs; no external
        # entities are ever fetched.
        from xml.etree import ElementTree

        try:
            root = ElementTree.fromstring(data)
        except ElementTree.ParseError as exc:
            raise InputError(f"{path}: not a readable OPML file: {exc}", code=errors.UNREADABLE) from exc
        urls = (str(o.get("xmlUrl") or "").strip() for o in root.iter("outline"))
        return [u for u in urls if _URL_LINE.match(u)]
    lines = data.decode("utf-8", errors="replace").splitlines()
    return [line.strip() for line in lines if _URL_LINE.match(line.strip())]


def _http(result: FetchResult) -> dict[str, Any]:
    http: dict[str, Any] = {
        "status": result.status,
        "content_type": result.content_type,
        "charset": result.charset,
    }
    http.update({k.replace("-", "_"): v for k, v in result.headers.items()})
    return {k: v for k, v in http.items() if v is not None}


def page_document(result: FetchResult, *, feed: dict[str, str] | None = None) -> RawDocument:
    """A fetched page as a RawDocument: the bytes as received, HTTP and feed facts in `fields`."""
    fields: dict[str, Any] = {"http": _http(result)}
    if feed:
        fields["feed"] = feed
    ctype = result.content_type or ""
    return RawDocument(
        id=content_id(result.content),
        source=result.url,
        content=result.content,
        hint="text" if ctype.startswith("text/plain") else "html",
        url=result.url,
        fetched_at=result.fetched_at,
        fields=fields,
    )


class FeedReader:
    """Documents behind feed URLs, fetched with one `PoliteFetcher`. Parsing one feed may take at
    most `budget` seconds (the per-document `ingest.time_budget`; None: no limit): a feed past it
    is rejected with E109, like a document."""

    def __init__(self, fetcher: PoliteFetcher, *, budget: float | None = None) -> None:
        self.fetcher = fetcher
        self.budget = budget

    def read(self, url: str) -> Iterator[Item]:
        """Every new article of the feed at `url` (or the page at `url` if it is no feed)."""
        try:
            result = self.fetcher.fetch(url)
        except FetchError as exc:
            yield rejection(exc, "ingest", url)
            return
        if result.not_modified:
            return
        if not looks_like_feed(result.content, result.content_type):
            yield page_document(result)
            return
        feed = guarded(
            "ingest",
            url,
            lambda: parse_feed(result.content, result.url, content_type=result.content_type),
            budget=self.budget,
        )
        if isinstance(feed, Rejected):
            yield feed
            return
        for entry in feed.entries:
            # One bad item (a malformed link, a port out of range, a bug) never stops the feed.
            yield from guarded_items("ingest", f"{feed.url}#{entry.entry_id}", self._entry(feed, entry))

    def _entry(self, feed: Feed, entry: FeedEntry) -> Iterator[Item]:
        facts = {"url": feed.url, "feed_title": feed.title or "", "title": entry.title or ""}
        if entry.published:
            facts["published"] = entry.published
        facts = {k: v for k, v in facts.items() if v}
        where = f"{feed.url}#{entry.entry_id}"
        if entry.link is None:
            yield from self._from_feed_content(entry, where, facts, "entry has no link")
            return
        previous = self.fetcher.states.get(entry.link)
        if previous is not None and previous.status in (200, 304):
            return  # fetched in an earlier poll: a feed lists the same items many times
        try:
            page = self.fetcher.fetch(entry.link)
        except FetchError as exc:
            yield from self._from_feed_content(entry, where, facts, str(exc), code=exc.code)
            return
        if not page.not_modified:
            yield page_document(page, feed=facts)

    def _from_feed_content(
        self,
        entry: FeedEntry,
        where: str,
        facts: dict[str, str],
        reason: str,
        code: str = errors.FETCH_FAILED,
    ) -> Iterator[Item]:
        text = entry.content_html or ""
        if len(text) < MIN_ENTRY_CONTENT_CHARS:
            yield _reject(code, where, reason)
            return
        content = f"<html><head><title>{entry.title or ''}</title></head><body>{text}</body></html>"
        data = content.encode("utf-8")
        yield RawDocument(
            id=content_id(data),
            source=where,
            content=data,
            hint="html",
            url=entry.link,
            fetched_at=datetime.now(UTC),
            fields={"feed": facts, "http": {"charset": "utf-8"}},
        )
