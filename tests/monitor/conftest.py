"""Fixtures of the monitor tests: real HTTP servers on 127.0.0.1 and a fast fetch policy."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from monitor_servers import Answer, Server, handler_for

from marsad.ingest.policy import FetchPolicy


@pytest.fixture
def serve() -> Iterator[Callable[[Callable[[str, str, dict[str, str], bytes], Answer]], Server]]:
    """`serve(route)` starts a real HTTP server on 127.0.0.1 answering with `route`."""
    started: list[ThreadingHTTPServer] = []

    def start(route: Callable[[str, str, dict[str, str], bytes], Answer]) -> Server:
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
        state = Server(base=f"http://127.0.0.1:{httpd.server_address[1]}", route=route)
        httpd.RequestHandlerClass = handler_for(state)
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        started.append(httpd)
        return state

    yield start
    for httpd in started:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def fast_policy() -> FetchPolicy:
    """Loopback allowed, no spacing between requests, short timeouts, no retries."""
    return FetchPolicy(
        allow_private=True, min_interval=0.0, timeout=1.0, total_timeout=2.0, retries=0, backoff=0.0
    )
