"""`marsad serve`: the REST API and the web UI over the embedded store, on 127.0.0.1 by default."""

from __future__ import annotations

from typing import Annotated

import typer

from marsad.cli.common import ConfigOption, DbOption, config_from, err, open_existing_store


def serve_cmd(
    host: Annotated[
        str,
        typer.Option(help="Address to listen on. Anything but 127.0.0.1 exposes the store to the network."),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.", min=1, max=65535)] = 8000,
    db: DbOption = None,
    config: ConfigOption = None,
    no_meaning: Annotated[
        bool, typer.Option("--no-meaning", help="Turn search by meaning off (it loads an embedding model).")
    ] = False,
    log_json: Annotated[
        bool, typer.Option("--log-json", help="Log requests as one JSON object a line.")
    ] = False,
) -> None:
    """Serve the API (/api, /docs) and the web UI (/) over the store. Ingest needs $MARSAD_API_TOKEN.

    The store must exist, unless ingest over the API is enabled (then an empty one is created).
    """
    import uvicorn

    from marsad.api import ApiSettings
    from marsad.api.requestlog import RequestLog
    from marsad.app import create_app
    from marsad.monitor.log import EventLog

    cfg = config_from(config)
    settings = ApiSettings.from_env(db_path=db, config=cfg)
    if no_meaning:
        settings = settings.with_(meaning_search=False)
    if not settings.ingest_enabled:
        open_existing_store(settings.db_path, cfg).close()
    app = create_app(settings)
    app.add_middleware(RequestLog, log=EventLog(as_json=log_json))  # one line per request
    err.print(
        f"marsad serving {settings.db_path} at http://{host}:{port}/ "
        f"(ingest {'enabled' if settings.ingest_enabled else 'disabled: set MARSAD_API_TOKEN'})"
    )
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_cmd)
