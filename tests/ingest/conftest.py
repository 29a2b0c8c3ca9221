"""A real HTTP server on 127.0.0.1 serving saved feeds and pages, and misbehaving endpoints."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
ETAG = '"v1"'


@dataclass
class Site:
    base: str
    etag: str = ETAG
    hits: Counter[str] = field(default_factory=Counter)
    headers: dict[str, dict[str, str]] = field(default_factory=dict)


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def _send(
            self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8", **extra: str
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in extra.items():
                self.send_header(k.replace("_", "-"), v)
            self.end_headers()
            self.wfile.write(body)

        def _fixture(self, name: str) -> bytes:
            return (FIXTURES / name).read_bytes().replace(b"BASE", site.base.encode())

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            site.hits[path] += 1
            site.headers[path] = {k.lower(): v for k, v in self.headers.items()}
            if path == "/robots.txt":
                self._send(200, self._fixture("robots.txt"), "text/plain")
            elif path in ("/feed.xml", "/atom.xml", "/malformed.xml"):
                kind = "application/atom+xml" if path == "/atom.xml" else "application/rss+xml"
                self._send(200, self._fixture(path[1:]), kind)
            elif path == "/etag.xml":
                if self.headers.get("If-None-Match") == ETAG:
                    self._send(304, b"", ETag=ETAG)
                else:
                    self._send(200, self._fixture("atom.xml"), "application/atom+xml", ETag=ETAG)
            elif path == "/articles/1.html":
                self._send(200, self._fixture("article_ar.html"))
            elif path == "/articles/2.html":
                # windows-1256 declared only in the HTTP header, as legacy Arabic sites do.
                html = self._fixture("article_ar.html").decode().replace('<meta charset="utf-8">', "")
                self._send(200, html.encode("cp1256"), "text/html; charset=windows-1256")
            elif path in ("/articles/en.html", "/private/secret.html"):
                self._send(200, self._fixture("article_en.html"))
            elif path == "/slow":
                time.sleep(2.0)
                self._send(200, b"late")
            elif path == "/drip":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", "40")
                self.end_headers()
                for _ in range(40):
                    try:
                        self.wfile.write(b"x")
                        self.wfile.flush()
                    except OSError:
                        return
                    time.sleep(0.1)
            elif path == "/huge":
                self._send(200, b"x" * 3_000_000)
            elif path == "/huge-chunked":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                chunk = b"y" * 65536
                try:
                    for _ in range(50):
                        self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                    self.wfile.write(b"0\r\n\r\n")
                except OSError:
                    return
            elif path == "/loop-a":
                self._send(302, b"", Location="/loop-b")
            elif path == "/loop-b":
                self._send(302, b"", Location="/loop-a")
            elif path.startswith("/hop"):
                n = int(path[4:] or 0)
                self._send(302, b"", Location=f"/hop{n + 1}")
            elif path == "/flaky":
                if site.hits[path] == 1:
                    self._send(503, b"busy", Retry_After="0")
                else:
                    self._send(200, self._fixture("article_en.html"))
            else:
                self._send(404, b"not found")

    return Handler


@pytest.fixture
def site() -> Iterator[Site]:
    """The local news site; `site.base` is http://127.0.0.1:<port>."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(Site(base="")))
    state = Site(base=f"http://127.0.0.1:{server.server_address[1]}")
    server.RequestHandlerClass = _handler(state)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
