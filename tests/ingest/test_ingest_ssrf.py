"""The fetcher against hostile names and servers: DNS rebinding (a patched resolver), IPv6 forms that
carry 127.0.0.1, malformed ports in a feed, headers dripped a byte at a time, a 45,000-item feed.
Only 127.0.0.1 is ever served; the counters prove no request reached it when it must not."""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from marsad import errors
from marsad.ingest import fetch
from marsad.ingest.feeds import MAX_ENTRIES, FeedReader, parse_feed
from marsad.ingest.fetch import FetchError, PoliteFetcher, ip_allowed
from marsad.ingest.policy import FetchPolicy
from marsad.records import RawDocument, Rejected

PAGE = (
    "<html><head><title>Local page</title></head><body><article><h1>Local page</h1>"
    + "<p>This internal page must never be fetched without allowing private addresses.</p>" * 5
    + "</article></body></html>"
).encode()


class Local:
    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.hosts: list[str] = []
        self.routes: dict[str, tuple[str, bytes]] = {"/page.html": ("text/html", PAGE)}
        self.port = 0


@pytest.fixture
def local() -> Iterator[Local]:
    state = Local()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            state.hits[self.path] += 1
            state.hosts.append(self.headers.get("Host", ""))
            if self.path == "/drip-headers":
                self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                try:
                    for _ in range(60):
                        self.wfile.write(b"X")
                        self.wfile.flush()
                        time.sleep(0.25)
                except OSError:
                    return
                return
            ctype, body = state.routes.get(self.path, ("text/plain", b""))
            self.send_response(200 if self.path in state.routes else 404)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def _policy(**changes: Any) -> FetchPolicy:
    base: dict[str, Any] = dict(
        min_interval=0.0, retries=0, backoff=0.0, timeout=1.0, total_timeout=3.0, respect_robots=False
    )
    return FetchPolicy(**{**base, **changes})


def _resolver(monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[str]]) -> list[str]:
    """Patch getaddrinfo: each name answers its list of addresses in turn (the last one repeats)."""
    real = socket.getaddrinfo
    asked: list[str] = []

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name not in answers:
            return real(host, port, *args, **kwargs)
        asked.append(name)
        queue = answers[name]
        address = queue.pop(0) if len(queue) > 1 else queue[0]
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        sockaddr = (
            (address, int(port or 80), 0, 0) if family == socket.AF_INET6 else (address, int(port or 80))
        )
        return [(family, socket.SOCK_STREAM, 6, "", sockaddr)]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "169.254.169.254",
        "::1",
        "::127.0.0.1",  # IPv4-compatible
        "::ffff:127.0.0.1",  # IPv4-mapped
        "::ffff:10.0.0.1",
        "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
        "64:ff9b:1::a00:1",  # local-use NAT64
        "2002:7f00:1::",  # 6to4 of 127.0.0.1
        "2002:a00:1::1",  # 6to4 of 10.0.0.1
        "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo, client 127.0.0.1
        "fec0::1",  # site-local
        "fe80::1%eth0",
        "fc00::1",
        "ff02::1",
        "not an address",
    ],
)
def test_ip_allowed_refuses_every_non_global_form(address: str) -> None:
    assert not ip_allowed(address)


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "2606:4700:4700::1111", "64:ff9b::808:808", "2002:808:808::"]
)
def test_ip_allowed_keeps_public_addresses(address: str) -> None:
    assert ip_allowed(address)


def test_dns_rebinding_never_reaches_loopback(local: Local, monkeypatch: pytest.MonkeyPatch) -> None:
    # The name answers a public address to every other lookup and 127.0.0.1 to the rest: a fetcher
    # that resolves again to connect would reach the local server.
    asked = _resolver(monkeypatch, {"rebind.test": ["93.184.216.34", "127.0.0.1"] * 20})
    with PoliteFetcher(_policy()) as fetcher, pytest.raises(FetchError):
        fetcher.fetch(f"http://rebind.test:{local.port}/page.html")
    assert asked, "the resolver was not consulted"
    assert sum(local.hits.values()) == 0


def test_connection_goes_to_the_checked_address_with_the_real_host(
    local: Local, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The check sees 127.0.0.1 (allowed here by a patched rule), any later lookup 127.0.0.9 (which
    # nothing serves): the page arrives only if the connection used the checked address.
    _resolver(monkeypatch, {"pinned.test": ["127.0.0.1", "127.0.0.9"]})
    monkeypatch.setattr(fetch, "ip_allowed", lambda address: address == "127.0.0.1")
    with PoliteFetcher(_policy()) as fetcher:
        result = fetcher.fetch(f"http://pinned.test:{local.port}/page.html")
    assert result.content == PAGE
    assert local.hosts == [f"pinned.test:{local.port}"]


@pytest.mark.parametrize("address", ["::127.0.0.1", "64:ff9b::7f00:1", "2002:7f00:1::", "::ffff:127.0.0.1"])
def test_names_resolving_to_ipv6_forms_of_loopback_are_refused(
    local: Local, monkeypatch: pytest.MonkeyPatch, address: str
) -> None:
    _resolver(monkeypatch, {"v6.test": [address]})
    with PoliteFetcher(_policy()) as fetcher, pytest.raises(FetchError, match="non-public"):
        fetcher.fetch(f"http://v6.test:{local.port}/page.html")
    assert sum(local.hits.values()) == 0


def test_a_bad_port_in_one_item_never_stops_the_feed(local: Local) -> None:
    base = f"http://127.0.0.1:{local.port}"
    items = "".join(
        f"<item><title>{title}</title><link>{link}</link><guid>{n}</guid></item>"
        for n, (title, link) in enumerate(
            [
                ("bad port", "http://127.0.0.1:99999/x"),
                ("bad host", "http://[::1/x"),
                ("good", f"{base}/page.html"),
            ]
        )
    )
    local.routes["/feed.xml"] = (
        "application/rss+xml",
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{items}</channel></rss>'.encode(),
    )
    with PoliteFetcher(_policy(allow_private=True)) as fetcher:
        out = list(FeedReader(fetcher).read(f"{base}/feed.xml"))
    docs = [i for i in out if isinstance(i, RawDocument)]
    rejects = [i for i in out if isinstance(i, Rejected)]
    assert [d.url for d in docs] == [f"{base}/page.html"]
    assert len(rejects) == 2 and all(r.code == errors.FETCH_FAILED for r in rejects)
    assert "99999" in rejects[0].detail


def test_total_deadline_holds_while_headers_drip(local: Local) -> None:
    started = time.monotonic()
    policy = _policy(allow_private=True, timeout=5.0, total_timeout=1.5)
    with PoliteFetcher(policy) as fetcher, pytest.raises(FetchError, match="total deadline"):
        fetcher.fetch(f"http://127.0.0.1:{local.port}/drip-headers")
    assert time.monotonic() - started < 4.0


def test_huge_feed_is_parsed_only_up_to_the_item_cap() -> None:
    items = "".join(
        f"<item><title>t{n}</title><link>https://example.org/{n}</link></item>" for n in range(45_000)
    )
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>big</title>{items}</channel></rss>'
    started = time.monotonic()
    parsed = parse_feed(feed.encode(), "https://example.org/feed")
    assert len(parsed.entries) == MAX_ENTRIES
    assert parsed.entries[-1].link == f"https://example.org/{MAX_ENTRIES - 1}"
    assert time.monotonic() - started < 5.0
