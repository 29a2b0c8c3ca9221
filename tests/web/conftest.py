"""Fixtures for the web tests: a store with the seeds, the samples and a hostile article; the real app
served by uvicorn on 127.0.0.1; headless Debian chromium through Playwright."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from marsad.api import ApiSettings
from marsad.app import create_app
from marsad.cluster.lexical import LexicalClusterer
from marsad.config import load_config
from marsad.ingest import open_sources
from marsad.ingest.files import record_document
from marsad.pipeline import default_clusterer, default_steps, ingest, restore_clusterer
from marsad.store import Store

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"

# Untrusted article text: every payload must show as text and run nothing.
HOSTILE = {
    "id": "hostile-1",
    "title": "<script>window.__xss = 1; alert('title')</script> عنوان <b>عريض</b>",
    "text": (
        "فقرة عربية أولى فيها صورة <img src=x onerror=\"window.__xss = 2; alert('img')\"> داخل النص.\n\n"
        "A link <a href=\"javascript:window.__xss=3;alert('link')\">click me</a> and javascript:alert(4)\n\n"
        '<svg onload="window.__xss = 5"></svg><iframe src="javascript:alert(6)"></iframe> نهاية'
    ),
    "url": "javascript:window.__xss=7;alert('url')",
    "outlet": '<i onmouseover="window.__xss=8">منفذ</i>',
    "published": "2026-06-01T08:00:00+00:00",
}

# Arabic with Latin names and numbers on the same line.
MIXED = {
    "id": "mixed-1",
    "title": "منظمة World Health Organization تحذر من موجة حر في Paris",
    "text": (
        "قال المتحدث باسم World Health Organization إن 12 حالة سجلت في مدينة Paris أمس، مضيفا أن"
        " منظمة WHO تتابع الوضع مع وزارة الصحة الفرنسية عن كثب.\n\n"
        'The spokesperson added in English that the situation was "under control" for now.'
    ),
    "outlet": "نشرة الاختبار",
    "published": "2026-06-02T08:00:00+00:00",
}


def build_store(db: Path, *, seeds: bool, samples: bool) -> None:
    """Seeds, sample corpus and the hostile article through the real ingest pipeline."""
    sources: list[str] = []
    if seeds:
        sources.append(str(SHARED / "seeds"))
    if samples:
        sources.append(str(ROOT / "samples" / "corpus"))
    with Store(db) as store:
        clusterer = LexicalClusterer()
        restore_clusterer(store, clusterer)
        ingest(store, open_sources(sources, max_bytes=20_000_000), clusterer)
        now = datetime.now(UTC)
        ingest(
            store,
            [record_document(HOSTILE, "test:hostile", now), record_document(MIXED, "test:mixed", now)],
            clusterer,
        )


class ServerThread:
    """The real app under uvicorn in a background thread, on a free 127.0.0.1 port."""

    def __init__(self, settings: ApiSettings) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        config = uvicorn.Config(
            create_app(settings), host="127.0.0.1", port=self.port, log_level="warning", lifespan="on"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start within 30 s")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


@pytest.fixture(scope="module")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (SHARED / "seeds" / "000_f462c494be0ac3b8.txt").exists():
        pytest.skip(f"seed documents not found at {SHARED / 'seeds'} (they live in ../shared/seeds)")
    db = tmp_path_factory.mktemp("web") / "web.db"
    build_store(db, seeds=True, samples=True)
    return db


@pytest.fixture(scope="module")
def server(web_db: Path) -> Iterator[ServerThread]:
    with ServerThread(ApiSettings(db_path=web_db, meaning_search=False)) as running:
        yield running


@pytest.fixture(scope="session")
def pipeline_web_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """samples/corpus ingested as `marsad ingest` does: embedding clusterer, duplicate groups,
    entities and quotes (tests must not write to it)."""
    db = tmp_path_factory.mktemp("pipeline-web") / "samples.db"
    cfg = load_config()
    with Store(db) as store:
        clusterer = default_clusterer(store.conn, cfg)
        restore_clusterer(store, clusterer)
        sources = open_sources([str(ROOT / "samples" / "corpus")], max_bytes=20_000_000)
        ingest(store, sources, clusterer, steps=default_steps(cfg))
    return db


@pytest.fixture(scope="module")
def pipeline_server(pipeline_web_db: Path) -> Iterator[ServerThread]:
    with ServerThread(ApiSettings(db_path=pipeline_web_db, meaning_search=True)) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")
    with sync_api.sync_playwright() as pw:
        launched = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
