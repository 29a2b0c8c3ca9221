"""Direct quotes with their speech verb and speaker, in Arabic, English and French.

`extract_quotes(article, mentions)` finds quoted spans in every quote style, keeps the ones that are
quotations (not names, titles of works or scare-quoted terms) and credits each to its speaker. The
article's entity `mentions` are an input (the ingest computes them once); Arabic text goes through
`marsad.quotes.arabic` (speech verbs, title and continuation resolution, missing marks), other
languages through `marsad.quotes.attribution`.
"""

from __future__ import annotations

from collections.abc import Sequence

from marsad.entities import KnownPerson, Mention, extract_entities
from marsad.quotes.arabic import ArabicQuote, arabic_quotes
from marsad.quotes.attribution import extract_quotes_from
from marsad.quotes.lexicon import fold
from marsad.quotes.marks import QuotedSpan, find_quoted_spans
from marsad.quotes.records import Quote
from marsad.records import Article
from marsad.text.arabic import is_arabic_script


def extract_quotes(
    article: Article, mentions: Sequence[Mention] | None = None, known: Sequence[KnownPerson] = ()
) -> list[Quote]:
    """The direct quotes of `article`'s body (entities are found first unless `mentions` is given)."""
    if mentions is None:
        mentions = extract_entities(article, known)
    if article.language == "ar" or (article.language is None and is_arabic_script(article.body[:2000])):
        body = [m for m in mentions if m.field == "body"]
        return [_record(article.body, q, body) for q in arabic_quotes(article.body, body)]
    return extract_quotes_from(article.body, mentions, field="body")


def _record(text: str, quote: ArabicQuote, mentions: Sequence[Mention]) -> Quote:
    speaker = quote.speaker
    key = None
    if speaker is not None:
        words = set(fold(speaker.name).split())
        key = next(
            (m.key for m in mentions if m.key and m.kind != "place" and set(fold(m.text).split()) <= words),
            None,
        )
    return Quote(
        text=text[quote.start : quote.end],
        start=quote.start,
        end=quote.end,
        speaker=speaker.name if speaker else None,
        speaker_key=key,
        verb=quote.verb,
        continuation=quote.continuation,
        field="body",
    )


__all__ = ["Quote", "QuotedSpan", "extract_quotes", "extract_quotes_from", "find_quoted_spans"]
