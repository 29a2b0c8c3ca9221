"""The monitor's API under /api: feeds, watchlists and alerts (writes need the API token, as ingest
does); the read-only views (outlets, coverage, exports, events) of `marsad.api.monitor_views` are
included here, so the app includes one router."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Response
from pydantic import BaseModel, Field

from marsad.api.auth import authorize
from marsad.api.context import Context
from marsad.api.monitor_views import router as views_router
from marsad.api.problems import BAD_REQUEST, Problem, not_found
from marsad.api.routes import PROBLEM
from marsad.errors import InputError
from marsad.store import Store
from marsad.store import feeds as feed_repo
from marsad.store import watchlists as watch_repo

router = APIRouter(prefix="/api")
router.include_router(views_router)
Authorization = Annotated[str | None, Header(max_length=500)]
WRITE: dict[int | str, dict[str, Any]] = {401: PROBLEM, 403: PROBLEM, 422: PROBLEM}
# SQLite's largest INTEGER: no row id is bigger, and binding a bigger int raises OverflowError (a 500).
MAX_ROW_ID = 2**63 - 1
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
    authorize(ctx, authorization)
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
    authorize(ctx, authorization)
    with ctx.pool.writer() as store:
        found = feed_repo.set_paused(store, int(feed_id), body.paused)
    if found is None:
        raise not_found("feed", feed_id)
    return _feed_out(found)


@router.delete("/feeds/{feed_id}", status_code=204, responses={**WRITE, 404: PROBLEM}, tags=["monitor"])
def delete_feed(ctx: Context, feed_id: FeedRef, authorization: Authorization = None) -> Response:
    """Forget a feed (needs the API token); its articles stay."""
    return _delete(ctx, authorization, feed_repo.remove_feed, "feed", feed_id)


def _delete(
    ctx: Context, authorization: str | None, remove: Callable[[Store, int], bool], what: str, ident: str
) -> Response:
    authorize(ctx, authorization)
    with ctx.pool.writer() as store:
        removed = remove(store, int(ident))
    if not removed:
        raise not_found(what, ident)
    return Response(status_code=204)


class WatchlistIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    entity: str | None = Field(default=None, max_length=200, description="A name in any spelling or script.")
    query: str | None = Field(default=None, max_length=500, description="Words that must all occur.")
    outlet: str | None = Field(default=None, max_length=200, description="An outlet name or a domain.")
    webhook_url: str | None = Field(default=None, max_length=2000, description="Alerts are POSTed here.")
    secret: str | None = Field(
        default=None,
        min_length=16,
        max_length=200,
        description="HMAC key (default: a random one, returned once).",
    )


class WatchlistOut(BaseModel):
    id: int
    name: str
    entity: str | None
    query: str | None
    outlet: str | None
    webhook: str | None = Field(description="The webhook's origin (its full URL may carry a token).")
    jsonl_path: str | None
    created_at: str
    secret: str | None = Field(default=None, description="Only in the answer to the POST that created it.")


class DeliveryOut(BaseModel):
    attempt: int
    at: str
    status: int | None
    error: str | None
    duration_ms: int


class AlertOut(BaseModel):
    id: int
    watchlist_id: int
    watchlist: str
    article_id: str
    story_id: str | None
    title: str | None
    outlet: str | None
    url: str | None
    matched: dict[str, Any]
    created_at: str
    webhook: str = Field(description="none, pending, sending, delivered or failed.")
    attempts: int
    next_attempt: str | None
    deliveries: list[DeliveryOut] | None = None


WatchlistRef = Annotated[str, Path(pattern=r"^[0-9]{1,12}$", description="The watchlist's id.")]


@router.get("/watchlists", response_model=list[WatchlistOut], tags=["monitor"])
def list_watchlists(ctx: Context) -> list[WatchlistOut]:
    """The watchlists (their secrets never, their webhooks by origin only)."""
    return [WatchlistOut.model_validate(w.to_json()) for w in watch_repo.list_watchlists(ctx.pool.reader())]


@router.post("/watchlists", response_model=WatchlistOut, status_code=201, responses=WRITE, tags=["monitor"])
def add_watchlist(ctx: Context, body: WatchlistIn, authorization: Authorization = None) -> WatchlistOut:
    """Watch new articles for an entity, words and/or an outlet (needs the API token). The answer
    carries the webhook secret, once. (JSONL files are set from the CLI only: the API does not
    write files on the server.)"""
    authorize(ctx, authorization)
    with ctx.pool.writer() as store:
        try:
            found = watch_repo.add_watchlist(
                store,
                body.name,
                entity=body.entity,
                query=body.query,
                outlet=body.outlet,
                webhook_url=body.webhook_url,
                secret=body.secret,
            )
        except InputError as exc:
            raise _input_problem(exc) from None
    return WatchlistOut.model_validate({**found.to_json(), "secret": found.secret})


@router.delete(
    "/watchlists/{watchlist_id}", status_code=204, responses={**WRITE, 404: PROBLEM}, tags=["monitor"]
)
def delete_watchlist(
    ctx: Context, watchlist_id: WatchlistRef, authorization: Authorization = None
) -> Response:
    """Forget a watchlist and its alerts (needs the API token)."""
    return _delete(ctx, authorization, watch_repo.remove_watchlist, "watchlist", watchlist_id)


@router.get("/alerts", response_model=list[AlertOut], tags=["monitor"])
def list_alerts(
    ctx: Context,
    watchlist: Annotated[
        int | None, Query(ge=1, le=MAX_ROW_ID, description="Only this watchlist's alerts.")
    ] = None,
    after: Annotated[
        int, Query(ge=0, le=MAX_ROW_ID, description="Only alerts after this id, oldest first.")
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[AlertOut]:
    """Alerts, newest first (or those after `after`, oldest first: poll with the last id you saw)."""
    found = watch_repo.list_alerts(ctx.pool.reader(), watchlist_id=watchlist, after_id=after, limit=limit)
    return [AlertOut.model_validate(a.to_json()) for a in found]


@router.get("/alerts/{alert_id}", response_model=AlertOut, responses={404: PROBLEM}, tags=["monitor"])
def get_alert(ctx: Context, alert_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)]) -> AlertOut:
    """One alert with the log of its webhook delivery attempts."""
    store = ctx.pool.reader()
    found = watch_repo.get_alert(store, alert_id)
    if found is None:
        raise not_found("alert", str(alert_id))
    log = [DeliveryOut.model_validate(d.to_json()) for d in watch_repo.deliveries(store, alert_id)]
    return AlertOut.model_validate({**found.to_json(), "deliveries": log})
