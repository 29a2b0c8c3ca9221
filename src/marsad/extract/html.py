"""HTML pages to articles with trafilatura; comments kept apart, never in the body."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from marsad import errors
from marsad.errors import InputError
from marsad.extract.agencies import find_agencies
from marsad.extract.dates import parse_date
from marsad.extract.dump import AD_PLACEHOLDER, parse_comments
from marsad.records import Article, RawDocument
from marsad.text.language import detect_language


def extract_html(raw: RawDocument, html: str) -> Article:
    """Main text and metadata of an HTML page. Raises InputError E107 when no article is found."""
    import trafilatura

    # include_comments defaults to True in trafilatura and appends comments to the text: keep
    # them out of the body and read them separately.
    result = trafilatura.bare_extraction(
        html,
        url=raw.url,
        include_comments=False,
        include_tables=False,
        with_metadata=True,
        favor_precision=False,
    )
    # bare_extraction returns a trafilatura Document (or None when nothing is found).
    doc: dict[str, Any] = result.as_dict() if result is not None else {}  # type: ignore[union-attr]
    text = doc.get("text") or ""
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    boilerplate: list[str] = []
    cleaned: list[str] = []
    for para in paragraphs:
        boilerplate.extend(AD_PLACEHOLDER.findall(para))
        para = AD_PLACEHOLDER.sub("", para).strip()
        if para:
            cleaned.append(para)
    if not cleaned:
        raise InputError(f"{raw.source}: no article text found in the HTML page", code=errors.NO_ARTICLE)
    comments_doc = trafilatura.extract(html, include_comments=True, output_format="json", with_metadata=False)
    comment_text = ""
    if comments_doc:
        comment_text = json.loads(comments_doc).get("comments") or ""
    comments = parse_comments(comment_text.split("\n")) if comment_text.strip() else []
    published: datetime | None = parse_date(doc["date"]) if doc.get("date") else None
    body = "\n\n".join(cleaned)
    title = doc.get("title")
    return Article(
        id=raw.id,
        url=raw.url or doc.get("url"),
        outlet=raw.outlet or doc.get("sitename") or doc.get("hostname"),
        title=title,
        body=body,
        paragraphs=tuple(cleaned),
        published=published,
        language=detect_language(body) or doc.get("language"),
        agencies=find_agencies([title or "", body]),
        comments=tuple(comments),
        comments_stated=None,
        boilerplate=tuple(boilerplate),
        source=raw.source,
    )
