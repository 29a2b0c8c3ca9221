"""One log line per request served (method, path, status, duration), for `marsad serve`.

Pure ASGI, like `marsad.api.guards`, so streamed responses (exports, live events) pass untouched; a
stream is logged when it ends, with its whole duration.
"""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from marsad.monitor.log import EventLog


class RequestLog:
    """Logs every HTTP request through an `EventLog` once its response is done."""

    def __init__(self, app: ASGIApp, log: EventLog) -> None:
        self.app = app
        self.log = log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.monotonic()
        status = 0  # no response started: the app failed or the client left first

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            took = round((time.monotonic() - started) * 1000, 1)
            query = scope.get("query_string", b"").decode("latin-1")
            target = scope["path"] + (f"?{query}" if query else "")
            client = scope.get("client")
            self.log.event(
                "request",
                f"{scope['method']} {target} {status or '-'} {took} ms",
                method=scope["method"],
                path=target,
                status=status or None,
                ms=took,
                client=client[0] if client else None,
            )
