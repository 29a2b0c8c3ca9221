"""The monitor's page: feeds with their status, watchlists and the latest alerts (read-only; changes go
through the CLI or the token-protected API)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from marsad.api.context import Context
from marsad.store import feeds as feed_repo
from marsad.store import watchlists as watch_repo
from marsad.web.pages import interface, render

router = APIRouter(include_in_schema=False)


@router.get("/monitor", response_class=HTMLResponse)
def monitor_page(ctx: Context, request: Request) -> HTMLResponse:
    store = ctx.pool.reader()
    feeds = feed_repo.list_feeds(store)
    watchlists = watch_repo.list_watchlists(store)
    counts = watch_repo.alert_counts(store)
    ui = interface(request, request.query_params.get("lang"))
    return render(
        "monitor.html",
        ui,
        request,
        feeds=[f.to_json() for f in feeds],
        failing=sum(1 for f in feeds if f.status == "error"),
        watchlists=[{**w.to_json(), "alerts": counts.get(w.id, 0)} for w in watchlists],
        alerts=[a.to_json() for a in watch_repo.list_alerts(store, limit=50)],
    )
