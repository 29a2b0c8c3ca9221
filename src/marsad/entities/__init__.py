"""Named entities without a neural model: gazetteers, trigger rules, aliases, role references.

`extract_entities(article)` returns the `Mention`s of one article; pass `known` persons (found in
other articles of the same story) as cross-document evidence. `group_mentions` folds mentions into
`Entity` records keyed across spellings and scripts (لافروف / سيرغي لافروف / Lavrov -> per:LFRF;
داعش / تنظيم الدولة الإسلامية / ISIS -> org:ISIS).
"""

from __future__ import annotations

from collections.abc import Sequence

from marsad.entities.aliases import family_key
from marsad.entities.recognizer import ArticleScans, EntityRecognizer, RuleEntityRecognizer, group_mentions
from marsad.entities.records import Entity, KnownPerson, Mention
from marsad.records import Article

_DEFAULT: RuleEntityRecognizer | None = None


def _default() -> RuleEntityRecognizer:
    global _DEFAULT
    if _DEFAULT is None:
        from marsad.entities.ner import loaded_tagger

        # The tagger's model loads at the first Arabic field (outside any time budget).
        _DEFAULT = RuleEntityRecognizer(arabic_tagger=loaded_tagger)
    return _DEFAULT


def extract_entities(article: Article, known: Sequence[KnownPerson] = ()) -> list[Mention]:
    """The entity mentions of `article` (title first, then body, each in text order)."""
    return _default()(article, known)


def entity_scans(article: Article) -> ArticleScans:
    """The evidence-free reading of `article` that `extract_entities` starts from (the costly part:
    the tagger), for an ingest worker process to hand to the writer's `remember_entity_scans`."""
    return _default().scans(article)


def remember_entity_scans(article: Article, scans: ArticleScans) -> None:
    """Make `scans` (from `entity_scans(article)`, possibly in another process) the reading
    `extract_entities(article, ...)` starts from, instead of reading `article` again."""
    _default().remember(article, scans)


# Characters of a body searched for mentions and quotes at ingest: a news article is far shorter; a
# 300,000-character dump (a disclaimer repeated for pages) would cost seconds of folding for nothing.
# Offsets stay those of the whole body (the prefix is the body's own start).
ANALYSIS_CHARS = 60_000


def analysed_part(article: Article) -> Article:
    """`article` with its body cut to the `ANALYSIS_CHARS` that ingest analyses: the story keys
    (`marsad.cluster.features.with_entities`) and the entity step read the same prefix, so the
    recognizer scans it once."""
    if len(article.body) <= ANALYSIS_CHARS:
        return article
    from dataclasses import replace

    return replace(article, body=article.body[:ANALYSIS_CHARS])


EVENT_KINDS = frozenset({"person", "place", "org"})
# Rules that name a person (not merely refer to one): their names are evidence for other articles.
NAMING_RULES = frozenset({"title", "speech", "crf"})


def entity_keys(title: str | None, text: str, language: str | None = None) -> frozenset[str]:
    """The keys of the persons, places and organisations named in a text, from the text alone (no
    cross-document evidence), as the story clusterer compares them: one key per referent across
    spellings and scripts, so لافروف in Arabic and Lavrov in French share per:LFRF (persons by their
    family key: the text alone often names only the surname)."""
    article = Article(
        id="",
        url=None,
        outlet=None,
        title=title,
        body=text,
        paragraphs=(text,),
        published=None,
        language=language,
    )
    return frozenset(family_key(m.key) for m in extract_entities(article) if m.kind in EVENT_KINDS)


def known_persons(mentions: Sequence[Mention]) -> list[KnownPerson]:
    """The persons named (not merely referred to) in `mentions`, as evidence for other articles."""
    seen: dict[str, KnownPerson] = {}
    for m in mentions:
        named = m.kind == "person" and m.rule in NAMING_RULES
        if named and (m.text not in seen or (m.role and not seen[m.text].role)):
            seen[m.text] = KnownPerson(name=m.text, role=m.role)
    return list(seen.values())


__all__ = [
    "ArticleScans",
    "Entity",
    "EntityRecognizer",
    "KnownPerson",
    "Mention",
    "RuleEntityRecognizer",
    "entity_keys",
    "entity_scans",
    "extract_entities",
    "group_mentions",
    "known_persons",
    "remember_entity_scans",
]
