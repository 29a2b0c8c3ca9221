"""Fixtures of the monitor tests: real HTTP servers on 127.0.0.1, a fast fetch policy, and the sample
corpus in a store with its outlets registered."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from monitor_samples import SAMPLE_OUTLETS, SAMPLES, GoldEvents
from monitor_servers import Answer, Server, handler_for

from marsad.ingest import open_sources
from marsad.ingest.policy import FetchPolicy
from marsad.monitor.outlets import OutletRegistry
from marsad.pipeline import default_steps, ingest
from marsad.store import Store


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


@pytest.fixture(scope="session")
def samples_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """samples/corpus ingested with the default steps into its gold event stories (read-only)."""
    db = tmp_path_factory.mktemp("outlets") / "samples.db"
    with Store(db) as store:
        ingest(store, open_sources([str(SAMPLES)], max_bytes=5_000_000), GoldEvents(), steps=default_steps())
        sizes = dict(store.conn.execute("SELECT story_id, count(*) FROM story_members GROUP BY story_id"))
    assert sizes == {"squake": 7, "skafr_salim": 4, "ssummit": 7, "srate": 6, "scup": 6, "sstrike": 6}
    return db


@pytest.fixture
def samples_copy(samples_store: Path, tmp_path: Path) -> Path:
    """A copy of `samples_store` for tests that write (a story page keeps its comparison in the store)."""
    db = tmp_path / "samples-copy.db"
    with Store(samples_store) as source, Store(db) as target:
        source.conn.backup(target.conn)
    return db


@pytest.fixture(scope="session")
def registry(tmp_path_factory: pytest.TempPathFactory) -> OutletRegistry:
    """The shipped registry with the sample corpus's outlets added from a user file."""
    path = tmp_path_factory.mktemp("registry") / "sample_outlets.toml"
    path.write_text(SAMPLE_OUTLETS, "utf-8")
    return OutletRegistry.load(path)


@pytest.fixture
def sample_outlets_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """$MARSAD_OUTLETS pointing at a file with the sample corpus's outlets (for the API and CLI)."""
    path = tmp_path / "sample_outlets.toml"
    path.write_text(SAMPLE_OUTLETS, "utf-8")
    monkeypatch.setenv("MARSAD_OUTLETS", str(path))
    return path


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Headless Debian chromium through Playwright, or skip."""
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("/usr/bin/chromium is missing: install Debian's chromium (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")
    with sync_api.sync_playwright() as pw:
        launched = pw.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"]
        )
        yield launched
        launched.close()
