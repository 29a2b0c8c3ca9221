"""The monitor's read-only views under /api: the outlet registry, who covered a story or stayed silent,
exports of stories and articles, and live events (server-sent). Included by `marsad.api.monitor`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

import anyio
from fastapi import APIRouter, Header, Path, Query, Response
from fastapi.responses import StreamingResponse

from marsad.api.context import Context, Filters
from marsad.api.problems import BAD_REQUEST, UNAVAILABLE, Problem, not_found
from marsad.api.routes import PROBLEM, ItemId, StoryOrder
from marsad.errors import InputError
from marsad.monitor import export
from marsad.monitor.coverage import outlet_timeline, story_coverage
from marsad.monitor.events import arrivals_after, last_seq
from marsad.monitor.outlets import default_registry
from marsad.store import Store
from marsad.store import stories as story_repo

router = APIRouter()  # mounted under /api by marsad.api.monitor


@router.get("/outlets", tags=["outlets"])
def list_outlets(
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$", description="ISO 3166 code.")] = None,
) -> list[dict[str, Any]]:
    """The outlet registry (shipped, plus $MARSAD_OUTLETS): domain, names, country, languages, kind."""
    outlets = default_registry().outlets.values()
    return [o.to_json() for o in outlets if country is None or o.country == country.upper()]


@router.get("/stories/{story_id}/coverage", responses={404: PROBLEM}, tags=["outlets"])
def get_coverage(ctx: Context, story_id: ItemId) -> dict[str, Any]:
    """The registered outlets that covered a story by country and kind, the outlets the registry does
    not know, and the silences: registered outlets that usually cover the story's region or entities
    but did not cover it, each with its reasons."""
    registry = default_registry()
    found = story_coverage(ctx.pool.reader(), story_id, registry)
    if found is None:
        raise not_found("story", story_id)
    return found.to_json(registry)


ExportFormat = Annotated[Literal["csv", "jsonl", "parquet"], Query(description="csv, jsonl or parquet.")]


def _download(data: bytes, fmt: str, name: str) -> Response:
    return Response(
        data,
        media_type=export.MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )


@router.get(
    "/export/stories",
    response_class=Response,
    responses={200: {"content": {t: {} for t in export.MEDIA_TYPES.values()}}, 422: PROBLEM},
    tags=["export"],
)
def export_stories(
    ctx: Context,
    flt: Filters,
    fmt: Annotated[ExportFormat, Query(alias="format")] = "csv",
    order: StoryOrder = "recent",
    limit: Annotated[int, Query(ge=1, le=export.MAX_STORIES)] = 10_000,
) -> Response:
    """The filtered story list (the filters of `GET /api/stories`) as a file: one row per story."""
    try:
        rows = export.story_rows(ctx.pool.reader(), default_registry(), flt, order=order, limit=limit)
    except InputError as exc:
        raise Problem(422, BAD_REQUEST, str(exc.args[0])) from None
    return _download(export.encode(rows, export.STORY_COLUMNS, fmt), fmt, "stories")


@router.get(
    "/export/stories/{story_id}",
    response_class=Response,
    responses={200: {"content": {t: {} for t in export.MEDIA_TYPES.values()}}, 404: PROBLEM},
    tags=["export"],
)
def export_story(
    ctx: Context, story_id: ItemId, fmt: Annotated[ExportFormat, Query(alias="format")] = "csv"
) -> Response:
    """A story's articles, earliest first, as a file: one row per article, with its text."""
    rows = export.article_rows(ctx.pool.reader(), default_registry(), story_id)
    if rows is None:
        raise not_found("story", story_id)
    return _download(export.encode(rows, export.ARTICLE_COLUMNS, fmt), fmt, f"story-{story_id}")


@router.get(
    "/export/stories/{story_id}/claims",
    response_class=Response,
    responses={200: {"content": {t: {} for t in export.MEDIA_TYPES.values()}}, 404: PROBLEM, 503: PROBLEM},
    tags=["export"],
)
def export_claims(
    ctx: Context, story_id: ItemId, fmt: Annotated[ExportFormat, Query(alias="format")] = "csv"
) -> Response:
    """A story's claims (the comparison of the story page) as a file: one row per claim and article
    carrying it, with that article's wording, figures and speaker. A one-article story has none."""
    store = ctx.pool.reader()
    story = story_repo.get_story(store, story_id)
    if story is None:
        raise not_found("story", story_id)
    found = ctx.comparisons.for_story(store, story)
    if found.comparison is None and story.size > 1:
        raise Problem(503, UNAVAILABLE, f"no claims to export: {found.note}", slug="comparison-unavailable")
    comparison = found.comparison.model_dump() if found.comparison is not None else None
    rows = export.claim_rows(store, default_registry(), story_id, comparison) or []
    return _download(export.encode(rows, export.CLAIM_COLUMNS, fmt), fmt, f"story-{story_id}-claims")


EVENT_POLL_SECONDS = 0.5
KEEPALIVE_SECONDS = 15.0


@router.get(
    "/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
    tags=["live"],
)
async def events(
    ctx: Context,
    after: Annotated[
        int | None, Query(ge=0, description="Start after this arrival number (default: from now).")
    ] = None,
    last_event_id: Annotated[str | None, Header(max_length=20)] = None,
) -> StreamingResponse:
    """Server-sent events: `story` when an article founds a story, `article` for every article stored,
    each with its arrival number as the event id (a reconnecting browser resumes from Last-Event-ID).
    Sent unbuffered (`X-Accel-Buffering: no` for nginx), with a keep-alive comment every 15 s."""
    resume = int(last_event_id) if last_event_id and last_event_id.isdigit() else after

    async def stream() -> AsyncIterator[bytes]:
        store = await anyio.to_thread.run_sync(Store, ctx.pool.path)
        try:
            seq = resume if resume is not None else await anyio.to_thread.run_sync(last_seq, store)
            yield b"retry: 2000\n: marsad events\n\n"
            quiet = 0.0
            while True:
                found = await anyio.to_thread.run_sync(arrivals_after, store, seq)
                if found:
                    seq = found[-1].seq
                    quiet = 0.0
                    yield b"".join(e.encode() for e in found)
                    continue  # a backlog: send it all before waiting
                if quiet >= KEEPALIVE_SECONDS:
                    quiet = 0.0
                    yield b": keepalive\n\n"
                await anyio.sleep(EVENT_POLL_SECONDS)
                quiet += EVENT_POLL_SECONDS
        finally:
            store.close()

    headers = {"Cache-Control": "no-cache, no-transform", "X-Accel-Buffering": "no"}
    return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)


@router.get("/outlets/{outlet_id}/coverage", responses={404: PROBLEM}, tags=["outlets"])
def get_outlet_coverage(
    ctx: Context,
    outlet_id: Annotated[str, Path(pattern=r"^[a-z0-9_]{1,64}$")],
    since: Annotated[str | None, Query(max_length=40, description="ISO date: days on or after it.")] = None,
) -> dict[str, Any]:
    """An outlet's coverage over time: per day, its articles in the store and the stories they joined."""
    registry = default_registry()
    if outlet_id not in registry.outlets:
        raise not_found("outlet", outlet_id)
    days = outlet_timeline(ctx.pool.reader(), registry, outlet_id, since=since)
    return {"outlet": registry.outlets[outlet_id].to_json(), "days": days}
