"""The ingest step that stores an article's entity mentions and quotes (a `marsad.pipeline.ArticleStep`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from marsad.entities import analysed_part, extract_entities
from marsad.entities.aliases import same_person, surname_key
from marsad.entities.lexicon import AR_FIRST_NAMES
from marsad.entities.records import KnownPerson, Mention
from marsad.quotes import Quote, extract_quotes
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
        mentions, quotes = article_analysis(article, known)
        put_analysis(conn, article.id, mentions, quotes)


def article_analysis(
    article: Article, known: Sequence[KnownPerson] = ()
) -> tuple[list[Mention], list[Quote]]:
    """The mentions and quotes the entity step stores for `article` given the `known` persons of
    the store; the per-document part of the step, which `marsad batch` runs with no known persons."""
    article = analysed_part(article)
    mentions = extract_entities(article, known)
    quotes = extract_quotes(article, mentions)
    # A common first name alone (محمد, سعد) is a person of this article (a speaker the quotes
    # may credit) but no one the store can tell from the others of that name: not indexed.
    vague = {m.key for m in mentions if _unidentified(m)}
    mentions = [m for m in mentions if m.key not in vague]
    quotes = [replace(q, speaker_key=None) if q.speaker_key in vague else q for q in quotes]
    return mentions, quotes


def _unidentified(m: Mention) -> bool:
    """A person mention whose fullest name in the article is one common first name."""
    words = fold_letters(m.name).split()
    return m.kind == "person" and len(words) == 1 and words[0] in AR_FIRST_NAMES


class _SurnameIndex:
    """The store's person names (`person_names`, read up to `seq`) by the last folded word of each.

    Only grows: a name since deleted from the store stays here and is dropped when `person_names` is
    read for the article. Should the row read last be gone or changed (a rolled-back transaction
    whose seq numbers were given again), the index is rebuilt from the table."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.seq, self.last = 0, ""
        self.names: dict[str, list[str]] = {}
        self.lengths: set[int] = set()

    def _clear(self) -> None:
        self.seq, self.last = 0, ""
        self.names.clear()
        self.lengths.clear()

    def update(self) -> None:
        from marsad.store.entities import person_name_at, person_names_since

        if self.seq and person_name_at(self.conn, self.seq) != self.last:
            self._clear()
        for seq, text in person_names_since(self.conn, self.seq):
            words = _folded_words(text)
            if words:
                self.names.setdefault(words[-1], []).append(text)
                self.lengths.add(len(words[-1]))
            self.seq, self.last = seq, text

    def named_in(self, folded: str) -> set[str]:
        """The names whose last folded word occurs in `folded` as a substring: a word has no
        whitespace, so it occurs in the text iff it occurs inside one of the text's whitespace-free runs."""
        out: set[str] = set()
        for run in set(folded.split()):
            for size in self.lengths:
                for i in range(len(run) - size + 1):
                    names = self.names.get(run[i : i + size])
                    if names:
                        out.update(names)
        return out


# One index per connection (a writer keeps its connection), the last few connections only. Keyed by
# id() and holding the connection, so that an id is never reused while its entry lives.
_INDEXES: dict[int, _SurnameIndex] = {}


def _named_in(conn: sqlite3.Connection, folded: str) -> set[str]:
    index = _INDEXES.pop(id(conn), None)
    if index is None or index.conn is not conn:
        index = _SurnameIndex(conn)
    _INDEXES[id(conn)] = index  # most recent last
    while len(_INDEXES) > 8:
        del _INDEXES[next(iter(_INDEXES))]
    index.update()
    return index.named_in(folded)


def _known(conn: sqlite3.Connection, folded: str, limit: int = 5000) -> list[KnownPerson]:
    """The persons the store has named whose surname occurs in the article (`folded` text). A
    surname the store gives to two different people (محمد العمري, صالح العمري), or one that is also
    a common first name (حسن), says nothing about who a bare mention is: those persons count only
    when the article spells their full name."""
    found = _found(conn, folded, limit)
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


def _found(conn: sqlite3.Connection, folded: str, limit: int) -> list[KnownPerson]:
    """The `limit` most named persons of the store (most named first, ties by spelling) whose last
    word occurs in the article, found through an index of surnames rather than by reading every name:
    the cost per article does not grow with the store."""
    from marsad.store.entities import ranked_person_names

    ranked = ranked_person_names(conn, _named_in(conn, folded), limit)
    return [KnownPerson(name=text, role=role) for text, role in ranked]


# The store's person names come back for every ingested article (`_known`): their folding and family
# key are computed once per process, not once per article.
@lru_cache(maxsize=1 << 16)
def _folded_words(name: str) -> tuple[str, ...]:
    return tuple(fold_letters(name).split())


@lru_cache(maxsize=1 << 16)
def _family(name: str) -> str:
    return surname_key(name)
