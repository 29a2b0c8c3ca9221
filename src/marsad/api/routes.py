"""The JSON API under /api: stories, articles, search, ingest, health. Routes stay thin."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Header, Path, Query, Response

from marsad import __version__
from marsad.api import detail
from marsad.api.auth import authorize
from marsad.api.context import ID_PATTERN, Context, Filters
from marsad.api.problems import (
    BAD_REQUEST,
    UNAVAILABLE,
    Problem,
    not_found,
)
from marsad.api.schemas import (
    ArticleOut,
    HealthOut,
    IngestIn,
    IngestOut,
    SearchHitOut,
    SearchOut,
    StoryDetailOut,
    StorylineListOut,
    StorylineOut,
    StoryListOut,
)
from marsad.embed.meaning import meaning_note
from marsad.store import articles as article_repo
from marsad.store import storylines as storyline_repo
from marsad.store.search import ArticleFilter, SearchHit, search_text

router = APIRouter(prefix="/api")

PROBLEM = {"description": "Problem JSON", "content": {"application/problem+json": {}}}
ItemId = Annotated[str, Path(pattern=ID_PATTERN)]
Limit = Annotated[int, Query(ge=1, le=100)]
Offset = Annotated[int, Query(ge=0, le=100_000)]
StoryOrder = Annotated[Literal["recent", "size"], Query(description="recent: newest day, biggest first.")]


@router.get("/health", response_model=HealthOut, tags=["meta"])
def health(ctx: Context) -> HealthOut:
    """Liveness and what this instance can do."""
    store = ctx.pool.reader()
    return HealthOut(
        status="ok",
        version=__version__,
        schema_version=store.schema_version(),
        counts=article_repo.counts(store),
        ingest_enabled=ctx.settings.ingest_enabled,
        comparison_available=ctx.comparisons.available,
        meaning_search=ctx.meaning is not None,
    )


@router.get("/stories", response_model=StoryListOut, responses={422: PROBLEM}, tags=["stories"])
def list_stories(
    ctx: Context, flt: Filters, order: StoryOrder = "recent", limit: Limit = 50, offset: Offset = 0
) -> StoryListOut:
    """Stories with their sources and languages, filtered by time, language, outlet or entity; paged."""
    limit = min(limit, ctx.settings.max_page_size)
    try:
        return detail.list_stories_page(ctx.pool.reader(), flt, order=order, limit=limit, offset=offset)
    except LookupError as exc:
        raise Problem(422, BAD_REQUEST, str(exc), slug="entities-unavailable") from None


@router.get("/stories/{story_id}", response_model=StoryDetailOut, responses={404: PROBLEM}, tags=["stories"])
def get_story(ctx: Context, story_id: ItemId) -> StoryDetailOut:
    """One story: its articles, timeline, entities, quotes and the side-by-side comparison."""
    found = detail.story_detail(ctx.pool.reader(), story_id, ctx.comparisons)
    if found is None:
        raise not_found("story", story_id)
    return found


@router.get("/storylines", response_model=StorylineListOut, tags=["stories"])
def list_storylines(
    ctx: Context,
    limit: Limit = 50,
    offset: Offset = 0,
    min_stories: Annotated[
        int, Query(ge=1, le=1000, description="Only storylines of this many stories.")
    ] = 2,
) -> StorylineListOut:
    """Storylines (stories linked over days), those of most stories first, each with its timeline."""
    limit = min(limit, ctx.settings.max_page_size)
    lines = storyline_repo.list_storylines(
        ctx.pool.reader(), limit=limit, offset=offset, min_stories=min_stories
    )
    return StorylineListOut(
        limit=limit, offset=offset, items=[StorylineOut.model_validate(line.to_json()) for line in lines]
    )


@router.get(
    "/storylines/{storyline_id}", response_model=StorylineOut, responses={404: PROBLEM}, tags=["stories"]
)
def get_storyline(ctx: Context, storyline_id: ItemId) -> StorylineOut:
    """One storyline: its stories in time order."""
    found = storyline_repo.get_storyline(ctx.pool.reader(), storyline_id)
    if found is None:
        raise not_found("storyline", storyline_id)
    return StorylineOut.model_validate(found.to_json())


@router.get("/articles/{article_id}", response_model=ArticleOut, responses={404: PROBLEM}, tags=["articles"])
def get_article(ctx: Context, article_id: ItemId) -> ArticleOut:
    """One article: clean text, comments apart, its story; the raw input is at `raw_url`."""
    found = detail.article_detail(ctx.pool.reader(), article_id)
    if found is None:
        raise not_found("article", article_id)
    return found


@router.get(
    "/articles/{article_id}/raw",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}, "application/octet-stream": {}}}, 404: PROBLEM},
    tags=["articles"],
)
def get_raw(ctx: Context, article_id: ItemId) -> Response:
    """The raw bytes the article was extracted from, as plain text (never rendered as HTML)."""
    store = ctx.pool.reader()
    article = article_repo.get_article(store, article_id)
    raw = article_repo.get_raw(store, article.id) if article is not None else None
    if raw is None or article is None:
        raise not_found("article", article_id)
    try:
        raw.decode("utf-8")
        media = "text/plain; charset=utf-8"
    except UnicodeDecodeError:
        media = "application/octet-stream"
    # Raw pages are untrusted HTML: plain text, no sniffing, and sandboxed if opened anyway.
    headers = {"Content-Security-Policy": "sandbox; default-src 'none'", "X-Content-Type-Options": "nosniff"}
    return Response(raw, media_type=media, headers=headers)


def _hit_out(hit: SearchHit) -> SearchHitOut:
    return SearchHitOut.model_validate(hit.to_json())


@router.get("/search", response_model=SearchOut, responses={422: PROBLEM, 503: PROBLEM}, tags=["search"])
def search(
    ctx: Context,
    q: Annotated[str, Query(min_length=1, max_length=500, description="Words, in any language.")],
    flt: Filters,
    mode: Annotated[
        Literal["text", "meaning"], Query(description="text: all words (normalized); meaning: embeddings.")
    ] = "text",
    limit: Limit = 20,
    offset: Offset = 0,
) -> SearchOut:
    """Full-text search over normalized text (FTS5), or search by meaning over sentence embeddings."""
    if len(q) > ctx.settings.max_query_chars:
        raise Problem(422, BAD_REQUEST, f"the query is over {ctx.settings.max_query_chars} characters")
    limit = min(limit, ctx.settings.max_page_size)
    article_filter = ArticleFilter(since=flt.since, until=flt.until, language=flt.language, outlet=flt.outlet)
    store = ctx.pool.reader()
    if mode == "text":
        page = search_text(store, q, flt=article_filter, limit=limit, offset=offset)
        items, total, note = [_hit_out(h) for h in page.hits], page.total, None
    else:
        if ctx.meaning is None:
            raise Problem(
                503,
                UNAVAILABLE,
                "search by meaning is turned off on this server (MARSAD_API_MEANING_SEARCH=0)",
                slug="meaning-search-off",
            )
        found = ctx.meaning.search(store, q, flt=article_filter, limit=limit, offset=offset)
        items, total, note = [_hit_out(h) for h in found.hits], found.total, meaning_note(found)
    return SearchOut(query=q, mode=mode, total=total, limit=limit, offset=offset, items=items, note=note)


@router.post(
    "/ingest",
    response_model=IngestOut,
    status_code=201,
    responses={200: {"model": IngestOut}, 401: PROBLEM, 403: PROBLEM, 413: PROBLEM, 422: PROBLEM},
    tags=["ingest"],
)
def ingest(
    ctx: Context,
    body: IngestIn,
    response: Response,
    authorization: Annotated[str | None, Header(max_length=500)] = None,
) -> IngestOut:
    """Ingest one URL or one JSON document (needs the API token). 201 when something new was stored,
    200 when it was already there, 422 when every document was rejected."""
    authorize(ctx, authorization)
    with ctx.pool.writer() as store:
        if body.document is not None:
            out = ctx.ingest.ingest_document(store, body.document)
        else:
            out = ctx.ingest.ingest_url(store, body.url or "")
    if out.added == 0 and out.rejected and not out.articles:
        reasons = "; ".join(f"[{r.code}] {r.detail}" for r in out.rejected[:5])
        raise Problem(
            422, BAD_REQUEST, f"nothing was ingested: {reasons}", extra={"report": out.model_dump()}
        )
    if out.added == 0:
        response.status_code = 200
    return out
