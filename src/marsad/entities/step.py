"""The ingest step that stores an article's entity mentions and quotes (a `marsad.pipeline.ArticleStep`)."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from functools import lru_cache

from marsad.entities import analysed_part, extract_entities
from marsad.entities.aliases import same_person, surname_key
from marsad.entities.lexicon import AR_FIRST_NAMES
from marsad.entities.records import KnownPerson, Mention
from marsad.quotes import extract_quotes
from marsad.records import Article
from marsad.text.arabic import fold_letters


class EntityQuoteStep:
    """Finds the mentions and quotes of each ingested article and stores them in its transaction.

    Persons already named in the store (with a title or as a speaker) are cross-document evidence:
    "لافروف" alone in a new article is recognised because another article said "سيرغي لافروف".
    """

    name = "entities"

    def __call__(self, conn: sqlite3.Connection, article: Article) -> None:
        from marsad.store.entities import put_analysis

        article = analysed_part(article)
        known = _known(conn, fold_letters(f"{article.title or ''}\n{article.body}"))
        mentions = extract_entities(article, known)
        quotes = extract_quotes(article, mentions)
        # A common first name alone (محمد, سعد) is a person of this article (a speaker the quotes
        # may credit) but no one the store can tell from the others of that name: not indexed.
        vague = {m.key for m in mentions if _unidentified(m)}
        mentions = [m for m in mentions if m.key not in vague]
        quotes = [replace(q, speaker_key=None) if q.speaker_key in vague else q for q in quotes]
        put_analysis(conn, article.id, mentions, quotes)


def _unidentified(m: Mention) -> bool:
    """A person mention whose fullest name in the article is one common first name."""
    words = fold_letters(m.name).split()
    return m.kind == "person" and len(words) == 1 and words[0] in AR_FIRST_NAMES


def _known(conn: sqlite3.Connection, folded: str, limit: int = 5000) -> list[KnownPerson]:
    """The persons the store has named whose surname occurs in the article (`folded` text). A
    surname the store gives to two different people (محمد العمري, صالح العمري), or one that is also
    a common first name (حسن), says nothing about who a bare mention is: those persons count only
    when the article spells their full name."""
    rows = conn.execute(
        "SELECT text, max(role) AS role FROM mentions WHERE kind = 'person'"
        " AND rule IN ('title', 'speech', 'crf') GROUP BY text ORDER BY count(*) DESC LIMIT ?",
        (limit,),
    ).fetchall()
    found: list[KnownPerson] = []
    for text, role in rows:
        words = _folded_words(str(text))
        if words and words[-1] in folded:
            found.append(KnownPerson(name=str(text), role=role))
    # same_person (costly) only between names of one family key: the pairwise test over every found
    # name cost 8 of ingest's 35 CPU seconds on 310 articles.
    same_family: dict[str, list[str]] = {}
    for o in found:
        if len(o.name.split()) > 1:
            same_family.setdefault(_family(o.name), []).append(o.name)
    out = []
    for k in found:
        words = _folded_words(k.name)
        ambiguous = words[-1] in AR_FIRST_NAMES or any(
            not same_person(k.name, other) for other in same_family.get(_family(k.name), ())
        )
        if not ambiguous or (len(words) > 1 and " ".join(words) in folded):
            out.append(k)
    return out


# The store's person names come back for every ingested article (`_known`): their folding and family
# key are computed once per process, not once per article.
@lru_cache(maxsize=1 << 16)
def _folded_words(name: str) -> tuple[str, ...]:
    return tuple(fold_letters(name).split())


@lru_cache(maxsize=1 << 16)
def _family(name: str) -> str:
    return surname_key(name)
