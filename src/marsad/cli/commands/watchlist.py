"""`marsad watchlist add|list|remove|alerts|deliver`: what to watch for, and the alerts it raised."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from marsad.cli.common import ConfigOption, DbOption, JsonOption, config_from, open_store, print_json
from marsad.errors import InputError
from marsad.store import watchlists as watch_repo

watchlist_app = typer.Typer(
    help="Watchlists (an entity, words, an outlet, or several) and their alerts (webhook, JSONL)."
)
Ref = Annotated[str, typer.Argument(help="The watchlist's id or name.")]


@watchlist_app.command("add")
def add_cmd(
    name: Annotated[str, typer.Argument(help="A name for the watchlist.")],
    entity: Annotated[
        str | None,
        typer.Option("--entity", help="A person, place or organisation, in any spelling or script."),
    ] = None,
    query: Annotated[
        str | None, typer.Option("--query", help="Words that must all occur (normalized).")
    ] = None,
    outlet: Annotated[str | None, typer.Option("--outlet", help="An outlet name or a domain.")] = None,
    webhook: Annotated[
        str | None, typer.Option("--webhook", help="POST each alert here (signed JSON).")
    ] = None,
    secret: Annotated[
        str | None, typer.Option("--secret", help="HMAC key of the webhook signature (default: random).")
    ] = None,
    jsonl: Annotated[Path | None, typer.Option("--jsonl", help="Append each alert to this file.")] = None,
    db: DbOption = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Watch newly ingested articles for an entity, words or an outlet (every one given must match)."""
    with open_store(db, config_from(config)) as store:
        found = watch_repo.add_watchlist(
            store,
            name,
            entity=entity,
            query=query,
            outlet=outlet,
            webhook_url=webhook,
            secret=secret,
            jsonl_path=str(jsonl.expanduser().resolve()) if jsonl else None,
        )
    if as_json:
        print_json({**found.to_json(reveal=True), "secret": found.secret})
        return
    typer.echo(f"watchlist {found.id}: {found.name}")
    if found.webhook_url and not secret:
        typer.echo(f"webhook secret (shown once; verify X-Marsad-Signature with it): {found.secret}")


@watchlist_app.command("list")
def list_cmd(db: DbOption = None, config: ConfigOption = None, as_json: JsonOption = False) -> None:
    """The watchlists with their alert counts."""
    with open_store(db, config_from(config)) as store:
        found = watch_repo.list_watchlists(store)
        counts = dict(
            store.conn.execute("SELECT watchlist_id, count(*) FROM alerts GROUP BY watchlist_id").fetchall()
        )
    if as_json:
        print_json([{**w.to_json(), "alerts": counts.get(w.id, 0)} for w in found])
        return
    table = Table(title=f"{len(found)} watchlists")
    for col in ("id", "name", "entity", "query", "outlet", "delivers to", "alerts"):
        table.add_column(col, overflow="fold")
    for w in found:
        out = w.to_json()
        where = ", ".join(x for x in (out["webhook"], w.jsonl_path) if x)
        table.add_row(
            str(w.id), w.name, w.entity or "", w.query or "", w.outlet or "", where, str(counts.get(w.id, 0))
        )
    Console(width=160).print(table)


@watchlist_app.command("remove")
def remove_cmd(ref: Ref, db: DbOption = None, config: ConfigOption = None) -> None:
    """Forget a watchlist with its alerts."""
    with open_store(db, config_from(config)) as store:
        if not watch_repo.remove_watchlist(store, ref):
            raise InputError(f"no watchlist {ref!r} in this store; see `marsad watchlist list`")
    typer.echo(f"watchlist {ref} removed")


@watchlist_app.command("alerts")
def alerts_cmd(
    watchlist: Annotated[
        str | None, typer.Option("--watchlist", help="Only this watchlist's alerts.")
    ] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many (newest first).", min=1)] = 50,
    db: DbOption = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Alerts raised, newest first, with their webhook delivery state."""
    with open_store(db, config_from(config)) as store:
        wl_id = None
        if watchlist is not None:
            found = watch_repo.get_watchlist(store, watchlist)
            if found is None:
                raise InputError(f"no watchlist {watchlist!r} in this store; see `marsad watchlist list`")
            wl_id = found.id
        alerts = watch_repo.list_alerts(store, watchlist_id=wl_id, limit=limit)
    if as_json:
        print_json([a.to_json() for a in alerts])
        return
    table = Table(title=f"{len(alerts)} alerts")
    for col in ("id", "raised", "watchlist", "article", "outlet", "story", "webhook"):
        table.add_column(col, overflow="fold")
    for a in alerts:
        webhook = a.webhook if a.webhook in ("none", "delivered") else f"{a.webhook} ({a.attempts} tries)"
        table.add_row(
            str(a.id),
            a.created_at,
            a.watchlist,
            a.title or a.article_id,
            a.outlet or "",
            a.story_id or "",
            webhook,
        )
    Console(width=160).print(table)


@watchlist_app.command("deliver")
def deliver_cmd(db: DbOption = None, config: ConfigOption = None) -> None:
    """Deliver the alerts now due (webhooks, JSONL files) once; watch and serve do it all the time."""
    from marsad.monitor.alerts import AlertDispatcher

    with open_store(db, config_from(config)) as store:
        path = store.path
    dispatcher = AlertDispatcher(path)
    try:
        attempts = dispatcher.deliver_due()
    finally:
        dispatcher.stop()
    typer.echo(f"{attempts} webhook attempt(s) made")


def register(app: typer.Typer) -> None:
    app.add_typer(watchlist_app, name="watchlist")
