"""Dispatch a `RawDocument` to the right extractor and assemble the `Article`."""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from marsad import errors
from marsad.errors import InputError
from marsad.extract.agencies import find_agencies
from marsad.extract.dump import MAX_COMMENT_CHARS, MAX_COMMENTS, DumpParts, capped, parse_dump
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
    check_length(body, raw.source)
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


# Bounds on what counts as one news article, whatever path it came by. Real articles in the dev
# data run from about 300 to 55,000 characters; a few letters (a 1-7 byte binary, a page of menu
# links) are no article, and megabytes of text (a book, a log, many pages run together) are not one.
MIN_ARTICLE_LETTERS = 25
MAX_ARTICLE_CHARS = 300_000
MAX_TITLE_CHARS = 500
MAX_OUTLET_CHARS = 200


def check_length(body: str, source: str | None) -> None:
    """Raise InputError E103 when `body` is longer than one news article (`MAX_ARTICLE_CHARS`).
    Extractors call it as soon as they have the body, before the work that grows with it (agency
    and language search), so a 19 MB dump is refused in the time it takes to read it."""
    if len(body) > MAX_ARTICLE_CHARS:
        raise InputError(
            f"{source}: article text of {len(body):,} characters is over the {MAX_ARTICLE_CHARS:,} a"
            " news article can hold (several pages run together, a book, a log?)",
            code=errors.TOO_LARGE,
        )


def _clip(text: str | None, limit: int) -> str | None:
    return text if text is None or len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _bounded(article: Article) -> Article:
    """`article` within the bounds above. Raises InputError E110 (too short) or E103 (too long)."""
    from dataclasses import replace

    check_length(article.body, article.source)
    letters = sum(1 for c in article.body if c.isalpha())
    if letters < MIN_ARTICLE_LETTERS:
        raise InputError(
            f"{article.source}: only {letters} letters of text, under the {MIN_ARTICLE_LETTERS} an article"
            " needs (a binary file, a navigation-only page?)",
            code=errors.TOO_SHORT,
        )
    comments = article.comments
    if len(comments) > MAX_COMMENTS or any(len(c.text) > MAX_COMMENT_CHARS for c in comments):
        comments = tuple(replace(c, text=capped(c.text)) for c in comments[:MAX_COMMENTS])
    return replace(
        article,
        title=_clip(article.title, MAX_TITLE_CHARS),
        outlet=_clip(article.outlet, MAX_OUTLET_CHARS),
        comments=comments,
    )


# One small document per kind of extraction (`warm_up_kind`), in Arabic: Arabic script is told by
# its letters, so warming up never loads py3langid's model (100 MB, 0.6 s), which only a document
# in another script needs; trafilatura is loaded only by the first HTML page.
WARM_UP_DOCUMENTS = {
    "text": RawDocument(
        id="warm-up",
        source="warm-up",
        content="عنوان\n\nقال الرئيس في باريس يوم الاثنين إن الحكومة ستعلن خطة جديدة. (أ ف ب)\n".encode(),
        hint="text",
    ),
    "html": RawDocument(
        id="warm-up-html",
        source="warm-up-html",
        content="<html><head><title>عنوان</title></head><body><article><p>قال الوزير في لندن يوم الاثنين"
        " إن الخطة ستعلن قريبا (رويترز).</p></article></body></html>".encode(),
        hint="html",
    ),
}


def warm_up_kind(raw: RawDocument) -> str:
    """Which warm-up `raw` needs: "html" for a page (or a record holding one), else "text"."""
    if raw.hint == "html" or (raw.hint == "record" and isinstance(raw.fields.get("html"), str)):
        return "html"
    return "text"


def warm_up(kinds: tuple[str, ...] = ("text", "html")) -> None:
    """Load what extraction of `kinds` of document loads lazily (parsers, gazetteers) now, so that
    the first document's time budget is spent on the document, not on imports; and so that a budget
    running out never interrupts an import halfway."""
    for kind in kinds:
        with contextlib.suppress(InputError):
            extract(WARM_UP_DOCUMENTS[kind])


def extract(raw: RawDocument) -> Article:
    """Extract the article from `raw`.

    Raises InputError (with a stable code) when the document holds no article text, too little text
    to be an article (E110), or far more than one (E103). Comments, title and outlet are capped.
    """
    return _bounded(_extract(raw))


def _extract(raw: RawDocument) -> Article:
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
