"""Direct quotes with their speech verb and speaker, in Arabic, English and French.

`extract_quotes(article)` finds quoted spans in every quote style, keeps the ones that are
quotations (not scare-quoted names), credits each to its speaker (the entity named by the
attribution; continuation verbs such as "وأضاف" and pronouns credit the previous speaker) and
joins quotes split around their attribution.
"""

from __future__ import annotations

from collections.abc import Sequence

from marsad.entities import KnownPerson, Mention, extract_entities
from marsad.quotes.attribution import extract_quotes_from
from marsad.quotes.marks import QuotedSpan, find_quoted_spans
from marsad.quotes.records import Quote
from marsad.records import Article


def extract_quotes(
    article: Article, mentions: Sequence[Mention] | None = None, known: Sequence[KnownPerson] = ()
) -> list[Quote]:
    """The direct quotes of `article`'s body (entities are found first unless `mentions` is given)."""
    if mentions is None:
        mentions = extract_entities(article, known)
    return extract_quotes_from(article.body, mentions, field="body")


__all__ = ["Quote", "QuotedSpan", "extract_quotes", "extract_quotes_from", "find_quoted_spans"]
