"""Dispatch a `RawDocument` to the right extractor and assemble the `Article`."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from marsad import errors
from marsad.errors import InputError
from marsad.extract.agencies import find_agencies
from marsad.extract.dump import DumpParts, parse_dump
from marsad.ingest.decode import decode_document, repair_mojibake
from marsad.records import Article, RawDocument
from marsad.text.language import detect_language


def _parse_datetime(value: Any, record_id: str) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise InputError(
            f"{record_id}: 'published' must be an ISO 8601 string, got {value!r}", code=errors.BAD_RECORD
        )
    from marsad.extract.dates import parse_date

    parsed = parse_date(value)
    if parsed is None:
        raise InputError(
            f"{record_id}: cannot read 'published' date {value!r}; use ISO 8601", code=errors.BAD_RECORD
        )
    return parsed


def outlet_from_url(url: str | None) -> str | None:
    """The host of `url` without 'www.', as an outlet name of last resort."""
    if not url:
        return None
    host = urlsplit(url).hostname
    return host.removeprefix("www.") if host else None


def _assemble(
    raw: RawDocument,
    parts: DumpParts,
    *,
    title: str | None,
    published: datetime | None,
    language: str | None,
    outlet: str | None,
    url: str | None,
) -> Article:
    if not parts.paragraphs:
        raise InputError(f"{raw.source}: no article text found", code=errors.NO_ARTICLE)
    body = "\n\n".join(parts.paragraphs)
    agencies = find_agencies([title or "", body, *parts.credit_lines])
    return Article(
        id=raw.id,
        url=url,
        outlet=outlet or parts.site_name or outlet_from_url(url),
        title=title,
        body=body,
        paragraphs=tuple(parts.paragraphs),
        published=published,
        language=language or detect_language(body),
        agencies=agencies,
        comments=tuple(parts.comments),
        comments_stated=parts.comments_stated,
        boilerplate=tuple(parts.boilerplate),
        source=raw.source,
    )


def extract_text(raw: RawDocument, text: str) -> Article:
    """A plain-text dump (see `marsad.extract.dump`) to an `Article`."""
    parts = parse_dump(text)
    from marsad.extract.dates import find_date_in_text

    published = find_date_in_text(text, reference=raw.fetched_at)
    return _assemble(
        raw, parts, title=parts.title, published=published, language=None, outlet=raw.outlet, url=raw.url
    )


def _extract_record(raw: RawDocument) -> Article:
    fields = raw.fields
    record_id = str(fields.get("id") or raw.source)
    title = fields.get("title")
    if title is not None and not isinstance(title, str):
        raise InputError(f"{record_id}: 'title' must be a string", code=errors.BAD_RECORD)
    published = _parse_datetime(fields.get("published"), record_id)
    url = fields.get("url") if isinstance(fields.get("url"), str) else raw.url
    outlet = fields.get("outlet") if isinstance(fields.get("outlet"), str) else raw.outlet
    language = fields.get("language") if isinstance(fields.get("language"), str) else None
    if isinstance(fields.get("html"), str):
        from marsad.extract.html import extract_html

        html, repaired = repair_mojibake(fields["html"])
        article = extract_html(raw, html, notes=(repaired,) if repaired else ())
        return _with(
            article,
            title=title or article.title,
            published=published or article.published,
            outlet=outlet or article.outlet,
            url=url or article.url,
            language=language,
        )
    text = fields.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(
            f"{record_id}: record needs a non-empty 'text' or 'html' field", code=errors.BAD_RECORD
        )
    parts = parse_dump(text, has_title=False)
    return _assemble(raw, parts, title=title, published=published, language=language, outlet=outlet, url=url)


def _with(article: Article, **changes: Any) -> Article:
    from dataclasses import replace

    return replace(article, **{k: v for k, v in changes.items() if v is not None})


def extract(raw: RawDocument) -> Article:
    """Extract the article from `raw`.

    Raises InputError (with a stable code) when the document holds no article text.
    """
    if raw.hint == "record":
        return _extract_record(raw)
    http = raw.fields.get("http") if raw.hint == "html" else None
    declared = http.get("charset") if isinstance(http, dict) else None
    decoded = decode_document(
        raw.content, raw.source, declared=declared if isinstance(declared, str) else None
    )
    if raw.hint == "html":
        from marsad.extract.html import extract_html

        return extract_html(raw, decoded.text, notes=decoded.notes, utf8=decoded.utf8)
    article = extract_text(raw, decoded.text)
    return _with(article, notes=decoded.notes) if decoded.notes else article
