"""Stories and articles read out of the store into the API's shapes (for the JSON API and the pages)."""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Literal, cast
from urllib.parse import urlsplit

from pydantic import ValidationError

from marsad.api.comparison import ComparisonService
from marsad.api.first_report import first_report
from marsad.api.schemas import (
    ArticleBrief,
    ArticleOut,
    CommentOut,
    ComparisonOut,
    DuplicateGroupOut,
    DuplicateKind,
    DuplicateMemberOut,
    EntityOut,
    QuoteOut,
    StoryDetailOut,
    StoryListOut,
    StorySummaryOut,
    TimelineEntry,
)
from marsad.api.story_extras import story_entities, story_quotes
from marsad.store import Store
from marsad.store import articles as article_repo
from marsad.store import entities as entity_repo
from marsad.store import stories as story_repo
from marsad.store.dedup import group_for_article
from marsad.store.search import StoryFilter, find_stories
from marsad.store.stories import StorySummary

_LINE_SUFFIX = re.compile(r":\d+(\[\d+\])?$")  # JSONL sources are 'path:line' or 'path:line[i]'


def source_label(outlet: str | None, url: str | None, source: str | None, article_id: str) -> str:
    """What to call a source on screen: its outlet, else the URL's host, else the file name, else the id."""
    if outlet:
        return outlet
    if url:
        host = urlsplit(url).hostname
        if host:
            return host.removeprefix("www.")
    if source:
        if "://" in source:
            host = urlsplit(source).hostname
            if host:
                return host.removeprefix("www.")
        name = PurePath(_LINE_SUFFIX.sub("", source)).name
        if name:
            return name
    return f"source {article_id[:8]}"


def summary_out(story: StorySummary, store: Store | None = None) -> StorySummaryOut:
    unnamed = story_repo.unnamed_sources(store, story.id) if store is not None else 0
    return StorySummaryOut(
        unnamed_sources=unnamed,
        id=story.id,
        title=story.title,
        size=story.size,
        outlets=list(story.outlets),
        languages=list(story.languages),
        first_published=story.first_published,
        last_published=story.last_published,
        articles=list(story.article_ids),
    )


def list_stories_page(store: Store, flt: StoryFilter, *, order: str, limit: int, offset: int) -> StoryListOut:
    """One page of the story list. Raises LookupError when filtering by entity on a store without entities."""
    keys = entity_repo.keys_named(store.conn, flt.entity) if flt.entity else None
    total, ids = find_stories(store, flt, order=order, limit=limit, offset=offset, entity_keys=keys)
    items = [summary_out(s, store) for s in (story_repo.get_story(store, i) for i in ids) if s is not None]
    nxt = offset + limit if offset + limit < total else None
    return StoryListOut(total=total, limit=limit, offset=offset, order=order, next_offset=nxt, items=items)


def _members(store: Store, story_id: str) -> tuple[list[ArticleBrief], list[TimelineEntry]]:
    rows = story_repo.members(store, story_id)
    briefs: list[ArticleBrief] = []
    timeline: list[TimelineEntry] = []
    for r in rows:
        label = source_label(r.outlet, r.url, r.source, r.id)
        briefs.append(
            ArticleBrief(
                id=r.id,
                label=label,
                title=r.title,
                outlet=r.outlet,
                language=r.language,
                published=r.published,
                url=r.url,
                agencies=list(r.agencies),
            )
        )
        basis: Literal["published", "fetched", "ingested"] = "ingested"
        at = r.ingested_at
        if r.published:
            at, basis = r.published, "published"
        elif r.fetched_at:
            at, basis = r.fetched_at, "fetched"
        timeline.append(TimelineEntry(article_id=r.id, label=label, title=r.title, at=at, basis=basis))
    return briefs, timeline


def _comparison_entities(comparison: ComparisonOut, limit: int = 40) -> list[EntityOut]:
    """The entities the comparison found per document, merged by key, most mentioned first."""
    raw = comparison.model_extra.get("entities") if comparison.model_extra else None
    if not isinstance(raw, dict):
        return []
    merged: dict[str, EntityOut] = {}
    for found in raw.values():
        for item in found if isinstance(found, list) else []:
            try:
                entity = EntityOut.model_validate(item)
            except ValidationError:
                continue
            key = entity.key or entity.name
            if key in merged:
                merged[key].count += entity.count
            else:
                merged[key] = entity
    return sorted(merged.values(), key=lambda e: (-e.count, e.name))[:limit]


def story_detail(store: Store, story_id: str, comparisons: ComparisonService) -> StoryDetailOut | None:
    """Everything the story page shows: articles, timeline, entities, quotes and the comparison."""
    story = story_repo.get_story(store, story_id)
    if story is None:
        return None
    briefs, timeline = _members(store, story.id)
    result = comparisons.for_story(store, story)
    quotes = story_quotes(store, story.id)
    if not quotes and result.comparison is not None:
        quotes = list(result.comparison.quotes)
    first = first_report(timeline, result.comparison)
    entities = story_entities(store, story.id)
    if not entities and result.comparison is not None:
        entities = _comparison_entities(result.comparison)
    return StoryDetailOut(
        story=summary_out(story, store),
        articles=briefs,
        timeline=timeline,
        first_reported=first.article_id,
        first_reported_basis=first.basis,
        first_reported_note=first.note,
        entities=entities,
        quotes=[QuoteOut.model_validate(q) for q in quotes],
        comparison=result.comparison,
        comparison_status=result.status,
        comparison_note=result.note,
    )


def article_detail(store: Store, article_id: str) -> ArticleOut | None:
    """The clean article with its comments apart, its story, and where its raw bytes are."""
    article = article_repo.get_article(store, article_id)
    if article is None:
        return None
    return ArticleOut(
        id=article.id,
        url=article.url,
        outlet=article.outlet,
        label=source_label(article.outlet, article.url, article.source, article.id),
        title=article.title,
        body=article.body,
        paragraphs=list(article.paragraphs),
        published=article.published.isoformat() if article.published else None,
        language=article.language,
        agencies=list(article.agencies),
        comments=[
            CommentOut(index=c.index, parent=c.parent, text=c.text, author=c.author) for c in article.comments
        ],
        comments_stated=article.comments_stated,
        boilerplate=list(article.boilerplate),
        source=article.source,
        story_id=story_repo.story_of(store, article.id),
        raw_url=f"/api/articles/{article.id}/raw",
        duplicates=duplicate_group(store, article.id),
    )


def _duplicate_kind(kind: str) -> DuplicateKind:
    return cast(DuplicateKind, kind) if kind in ("exact", "near", "contained") else "unique"


def duplicate_group(store: Store, article_id: str) -> DuplicateGroupOut | None:
    """The duplicate group of `article_id` with its other members, or None when it has no copies."""
    group = group_for_article(store, article_id)
    if group is None or len(group.members) < 2:
        return None
    ids = [m.article_id for m in group.members]
    where = article_repo.locations(store, ids)
    own = next(m for m in group.members if m.article_id == article_id)
    others = [
        DuplicateMemberOut(
            id=m.article_id,
            kind=_duplicate_kind(m.kind),
            label=source_label(
                m.outlet,
                *where.get(m.article_id, (None, None)),
                m.article_id,
            ),
            outlet=m.outlet,
            title=m.title,
            published=m.published,
            matched=m.matched_id,
            score=m.score,
            href=f"/articles/{m.article_id}",
        )
        for m in group.members
        if m.article_id != article_id
    ]
    return DuplicateGroupOut(
        id=group.id,
        canonical=group.canonical_id,
        kind=_duplicate_kind(own.kind),
        size=len(group.members),
        others=others,
    )
