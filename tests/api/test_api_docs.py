"""/docs works with no outside network: every asset comes from the installed packages."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient

from marsad.api import ApiSettings
from marsad.app import create_app
from marsad.store import Store

CHROMIUM = Path("/usr/bin/chromium")
ASSET = re.compile(r'(?:src|href|data-openapi-url)="([^"]+)"')


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    Store(tmp_path / "docs.db").close()
    with TestClient(create_app(ApiSettings(db_path=tmp_path / "docs.db", meaning_search=False))) as c:
        yield c


def test_docs_page_and_every_asset_are_served_locally(client: TestClient) -> None:
    res = client.get("/docs")
    assert res.status_code == 200 and res.headers["content-type"].startswith("text/html")
    assert "<script>" not in res.text  # no inline script: the CSP allows none
    urls = ASSET.findall(res.text)
    assert urls and all(u.startswith("/") and not u.startswith("//") for u in urls), urls
    for url in urls:
        asset = client.get(url)
        assert asset.status_code == 200, url
        if url.endswith(".js"):
            assert "javascript" in asset.headers["content-type"] and len(asset.content) > 100
    csp = res.headers["content-security-policy"]
    assert "http" not in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]


def test_openapi_lists_the_api(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["info"]["title"] == "marsad API" and "/api/stories" in spec["paths"]
    assert "/docs" not in spec["paths"]
    assert client.get("/redoc").status_code == 404  # not offered: ReDoc's free build loads a CDN logo


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    Store(tmp_path / "docs.db").close()
    app = create_app(ApiSettings(db_path=tmp_path / "docs.db", meaning_search=False))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.mark.slow
@pytest.mark.browser
def test_swagger_ui_renders_in_a_browser_with_every_outside_request_blocked(served: str) -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")
    outside: list[str] = []
    errors: list[str] = []

    def route(request: Any) -> None:
        if request.request.url.startswith(served):
            request.continue_()
        else:
            outside.append(request.request.url)
            request.abort()

    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.route("**/*", route)
            page.goto(f"{served}/docs")
            page.wait_for_selector(".swagger-ui .info .title", timeout=30_000)
            assert "marsad API" in page.inner_text(".swagger-ui .info .title")
            page.wait_for_selector(".opblock-summary-path", timeout=30_000)
            paths = page.locator(".opblock-summary-path").all_inner_texts()
            assert any("/api/stories" in p for p in paths)
        finally:
            browser.close()
    assert outside == [], outside
    assert not [e for e in errors if "Content Security Policy" in e], errors
