"""The monitor's page: feeds with their status, watchlists, the latest alerts with their webhook
delivery log; and its forms, which add, pause, resume and remove feeds and add and remove watchlists.

The forms validate with the API's own models (`FeedIn`, `WatchlistIn`) and write through the same
store functions as the API's write routes, under the same API token (see `marsad.web.desk` for the
sign-in and the same-site checks). A change answers with a redirect back to the page (303, so a
reload never posts twice), a refused one with the page, the reason shown, and the form filled in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from marsad.api.context import AppContext, Context
from marsad.api.monitor import FeedIn, WatchlistIn
from marsad.errors import InputError
from marsad.store import Store
from marsad.store import feeds as feed_repo
from marsad.store import watchlists as watch_repo
from marsad.web.desk import check_form, check_sign_in, close_session, desk_for, open_session
from marsad.web.i18n import Interface
from marsad.web.pages import interface, render

router = APIRouter(include_in_schema=False)

# The polling intervals the page offers (the CLI and the API take any from 10 s to 7 days).
EVERY_CHOICES = (60, 300, 600, 1800, 3600, 6 * 3600, 24 * 3600)
DONE = frozenset(
    {
        "signed_in",
        "signed_out",
        "feed_added",
        "feed_paused",
        "feed_resumed",
        "feed_removed",
        "watchlist_added",
        "watchlist_removed",
    }
)
RowRef = Annotated[str, Path(pattern=r"^[0-9]{1,12}$")]
FormToken = Annotated[str, Form(max_length=200)]


def every_text(ui: Interface, seconds: float) -> str:
    """A feed's polling interval in the reader's language, in the largest whole unit."""
    whole = round(seconds)
    if whole >= 3600 and whole % 3600 == 0:
        return ui.tn("every.hours", whole // 3600)
    if whole >= 60 and whole % 60 == 0:
        return ui.tn("every.minutes", whole // 60)
    return ui.tn("every.seconds", whole)


def _page(
    ctx: AppContext,
    request: Request,
    *,
    status: int = 200,
    error: str | None = None,
    form: dict[str, Any] | None = None,
    secret: str | None = None,
) -> HTMLResponse:
    store = ctx.pool.reader()
    feeds = feed_repo.list_feeds(store)
    watchlists = watch_repo.list_watchlists(store)
    counts = watch_repo.alert_counts(store)
    only = request.query_params.get("watchlist", "")
    watchlist_id = int(only) if only.isdigit() and len(only) <= 12 else None
    alerts = watch_repo.list_alerts(store, watchlist_id=watchlist_id, limit=50)
    done = request.query_params.get("done", "")
    ui = interface(request, request.query_params.get("lang"))
    response = render(
        "monitor.html",
        ui,
        request,
        status=status,
        desk=desk_for(ctx.settings, request),
        feeds=[f.to_json() for f in feeds],
        failing=sum(1 for f in feeds if f.status == "error"),
        watchlists=[{**w.to_json(), "alerts": counts.get(w.id, 0)} for w in watchlists],
        alerts=[
            {**a.to_json(), "deliveries": [d.to_json() for d in watch_repo.deliveries(store, a.id)]}
            for a in alerts
        ],
        only=next((w.name for w in watchlists if w.id == watchlist_id), None),
        every=lambda seconds: every_text(ui, seconds),
        every_choices=EVERY_CHOICES,
        done=done if done in DONE else None,
        error=error,
        form=form or {},
        secret=secret,
    )
    # The site's "no-referrer" makes browsers send `Origin: null` with a form post; the forms are
    # checked by their origin (marsad.web.desk), so this page names it to its own site, never others.
    response.headers["Referrer-Policy"] = "same-origin"
    return response


@router.get("/monitor", response_class=HTMLResponse)
def monitor_page(
    ctx: Context,
    request: Request,
    watchlist: Annotated[str | None, Query(max_length=12)] = None,
) -> HTMLResponse:
    return _page(ctx, request)


def _back(done: str, anchor: str) -> RedirectResponse:
    return RedirectResponse(f"/monitor?done={done}#{anchor}", status_code=303)


def _refused(exc: InputError | ValidationError) -> str:
    if isinstance(exc, InputError):
        return str(exc.args[0])
    return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:3])


@router.post("/monitor/session")
def sign_in(ctx: Context, request: Request, token: Annotated[str, Form(max_length=500)]) -> Response:
    check_sign_in(ctx.settings, request, token)
    response = _back("signed_in", "desk")
    open_session(response, ctx.settings, request)
    return response


@router.post("/monitor/session/end")
def sign_out(ctx: Context, request: Request, form_token: FormToken) -> Response:
    check_form(ctx.settings, request, form_token)
    response = _back("signed_out", "desk")
    close_session(response, request)
    return response


@router.post("/monitor/feeds")
def add_feed(
    ctx: Context,
    request: Request,
    form_token: FormToken,
    url: Annotated[str, Form(max_length=2000)],
    name: Annotated[str, Form(max_length=200)] = "",
    every_seconds: Annotated[float, Form()] = 600.0,
) -> Response:
    """The form face of `POST /api/feeds`."""
    check_form(ctx.settings, request, form_token)
    filled = {"url": url, "name": name, "every_seconds": every_seconds}
    try:
        body = FeedIn(url=url.strip(), name=name.strip() or None, every_seconds=every_seconds)
        with ctx.pool.writer() as store:
            feed_repo.add_feed(store, body.url, every_seconds=body.every_seconds, name=body.name)
    except (InputError, ValidationError) as exc:
        return _page(ctx, request, status=422, error=_refused(exc), form={"feed": filled})
    return _back("feed_added", "feeds")


def _change(
    ctx: AppContext,
    request: Request,
    form_token: str,
    change: Callable[[Store], object],
    done: str,
    anchor: str,
) -> Response:
    check_form(ctx.settings, request, form_token)
    with ctx.pool.writer() as store:
        found = change(store)
    if not found:  # removed meanwhile (another tab, the CLI): the page shows what is there now
        gone = interface(request, request.query_params.get("lang")).t("desk.gone")
        return _page(ctx, request, status=404, error=gone)
    return _back(done, anchor)


FEED_CHANGES: dict[str, Callable[[Store, int], object]] = {
    "pause": lambda store, ident: feed_repo.set_paused(store, ident, True),
    "resume": lambda store, ident: feed_repo.set_paused(store, ident, False),
    "remove": feed_repo.remove_feed,
}
FEED_DONE = {"pause": "feed_paused", "resume": "feed_resumed", "remove": "feed_removed"}


@router.post("/monitor/feeds/{feed_id}/{action}")
def change_feed(
    ctx: Context,
    request: Request,
    feed_id: RowRef,
    action: Literal["pause", "resume", "remove"],
    form_token: FormToken,
) -> Response:
    """The form face of `PATCH /api/feeds/{id}` (pause, resume) and `DELETE /api/feeds/{id}`."""
    change = FEED_CHANGES[action]
    return _change(ctx, request, form_token, lambda s: change(s, int(feed_id)), FEED_DONE[action], "feeds")


@router.post("/monitor/watchlists")
def add_watchlist(
    ctx: Context,
    request: Request,
    form_token: FormToken,
    name: Annotated[str, Form(max_length=200)],
    entity: Annotated[str, Form(max_length=200)] = "",
    query: Annotated[str, Form(max_length=500)] = "",
    outlet: Annotated[str, Form(max_length=200)] = "",
    webhook_url: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """The form face of `POST /api/watchlists`. A webhook's new secret is shown on the page, once."""
    check_form(ctx.settings, request, form_token)
    filled = {"name": name, "entity": entity, "query": query, "outlet": outlet, "webhook_url": webhook_url}
    try:
        body = WatchlistIn.model_validate({k: v.strip() or None for k, v in filled.items()})
        with ctx.pool.writer() as store:
            found = watch_repo.add_watchlist(store, **body.model_dump())
    except (InputError, ValidationError) as exc:
        return _page(ctx, request, status=422, error=_refused(exc), form={"watchlist": filled})
    if found.webhook_url:
        return _page(ctx, request, secret=found.secret)
    return _back("watchlist_added", "watchlists")


@router.post("/monitor/watchlists/{watchlist_id}/remove")
def remove_watchlist(ctx: Context, request: Request, watchlist_id: RowRef, form_token: FormToken) -> Response:
    return _change(
        ctx,
        request,
        form_token,
        lambda s: watch_repo.remove_watchlist(s, int(watchlist_id)),
        "watchlist_removed",
        "watchlists",
    )
