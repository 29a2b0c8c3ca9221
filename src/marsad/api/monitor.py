"""The monitor's API under /api: feeds (GET, POST, DELETE). Writes need the API token, as ingest does."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Response
from pydantic import BaseModel, Field

from marsad.api.context import Context
from marsad.api.problems import BAD_REQUEST, Problem, not_found
from marsad.api.routes import PROBLEM, _authorize
from marsad.errors import InputError
from marsad.store import feeds as feed_repo

router = APIRouter(prefix="/api")
Authorization = Annotated[str | None, Header(max_length=500)]
WRITE: dict[int | str, dict[str, Any]] = {401: PROBLEM, 403: PROBLEM, 422: PROBLEM}
FeedRef = Annotated[str, Path(pattern=r"^[0-9]{1,12}$", description="The feed's id.")]


class FeedIn(BaseModel):
    url: str = Field(max_length=2000, description="The feed's http(s) URL.")
    name: str | None = Field(default=None, max_length=200)
    every_seconds: float = Field(default=600.0, ge=10.0, le=7 * 86400, description="Time between polls.")


class FeedOut(BaseModel):
    id: int
    url: str
    name: str | None
    every_seconds: float
    status: str = Field(description="new (never polled), ok, error or paused.")
    paused: bool
    added_at: str
    last_fetch: str | None
    last_ok: str | None
    last_error: str | None
    last_error_code: str | None
    errors_in_row: int
    items: int = Field(description="Articles stored from this feed.")
    last_added: int
    next_poll: str | None


class FeedPatch(BaseModel):
    paused: bool


def _input_problem(exc: InputError) -> Problem:
    return Problem(422, BAD_REQUEST, str(exc.args[0]))


def _feed_out(found: Any) -> FeedOut:
    return FeedOut.model_validate(found.to_json())


@router.get("/feeds", response_model=list[FeedOut], tags=["monitor"])
def list_feeds(ctx: Context) -> list[FeedOut]:
    """Every stored feed with its status, last fetch, last error, items and next poll."""
    return [_feed_out(f) for f in feed_repo.list_feeds(ctx.pool.reader())]


@router.get("/feeds/{feed_id}", response_model=FeedOut, responses={404: PROBLEM}, tags=["monitor"])
def get_feed(ctx: Context, feed_id: FeedRef) -> FeedOut:
    found = feed_repo.get_feed(ctx.pool.reader(), int(feed_id))
    if found is None:
        raise not_found("feed", feed_id)
    return _feed_out(found)


@router.post("/feeds", response_model=FeedOut, status_code=201, responses=WRITE, tags=["monitor"])
def add_feed(ctx: Context, body: FeedIn, authorization: Authorization = None) -> FeedOut:
    """Add a feed for `marsad watch` to poll (needs the API token); the same URL again updates it."""
    _authorize(ctx, authorization)
    with ctx.pool.writer() as store:
        try:
            found = feed_repo.add_feed(store, body.url, every_seconds=body.every_seconds, name=body.name)
        except InputError as exc:
            raise _input_problem(exc) from None
    return _feed_out(found)


@router.patch("/feeds/{feed_id}", response_model=FeedOut, responses={**WRITE, 404: PROBLEM}, tags=["monitor"])
def patch_feed(
    ctx: Context, feed_id: FeedRef, body: FeedPatch, authorization: Authorization = None
) -> FeedOut:
    """Pause or resume a feed (needs the API token)."""
    _authorize(ctx, authorization)
    with ctx.pool.writer() as store:
        found = feed_repo.set_paused(store, int(feed_id), body.paused)
    if found is None:
        raise not_found("feed", feed_id)
    return _feed_out(found)


@router.delete("/feeds/{feed_id}", status_code=204, responses={**WRITE, 404: PROBLEM}, tags=["monitor"])
def delete_feed(ctx: Context, feed_id: FeedRef, authorization: Authorization = None) -> Response:
    """Forget a feed (needs the API token); its articles stay."""
    _authorize(ctx, authorization)
    with ctx.pool.writer() as store:
        removed = feed_repo.remove_feed(store, int(feed_id))
    if not removed:
        raise not_found("feed", feed_id)
    return Response(status_code=204)
