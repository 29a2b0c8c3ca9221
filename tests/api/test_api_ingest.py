"""Ingest through the API: token required, documents validated and bounded, stories joined like the CLI."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from marsad.api import ApiSettings
from marsad.errors import ConfigError

TOKEN = "test-token-0123456789abcdef"  # the token the `ingest_client` fixture enables
AUTH = {"Authorization": f"Bearer {TOKEN}"}

QUAKE_AR = {
    "id": "t-ar-1",
    "title": "زلزال يضرب بلدة الواحة الخضراء ويوقع 12 قتيلا",
    "text": "أعلن الدفاع المدني أن زلزالا بقوة 5.8 درجات ضرب بلدة الواحة الخضراء فجر الاثنين، ما أدى إلى"
    " مقتل 12 شخصا وإصابة 40 آخرين.\n\nوقال المتحدث باسم الدفاع المدني إن فرق الإنقاذ ما زالت تبحث"
    " عن ناجين تحت أنقاض المباني المنهارة في الواحة الخضراء.",
    "published": "2026-02-02T06:00:00+00:00",
    "outlet": "صحيفة الاختبار",
    "language": "ar",
}
QUAKE_AR_2 = {
    **QUAKE_AR,
    "id": "t-ar-2",
    "title": "ارتفاع حصيلة زلزال الواحة الخضراء إلى 12 قتيلا",
    "outlet": "موقع التجربة",
    "published": "2026-02-02T09:00:00+00:00",
}


def test_ingest_token_constant_matches_fixture(api_token: str) -> None:
    assert api_token == TOKEN


def test_ingest_disabled_without_token(seeds_client: TestClient) -> None:
    res = seeds_client.post("/api/ingest", json={"document": QUAKE_AR}, headers=AUTH)
    assert res.status_code == 403
    body = res.json()
    assert res.headers["content-type"] == "application/problem+json"
    assert body["code"] == "E503" and "MARSAD_API_TOKEN" in body["detail"]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-token-wrong-token"},
        {"Authorization": TOKEN},
        {"Authorization": "Basic x"},
    ],
)
def test_ingest_requires_the_bearer_token(ingest_client: TestClient, headers: dict[str, str]) -> None:
    res = ingest_client.post("/api/ingest", json={"document": QUAKE_AR}, headers=headers)
    assert res.status_code == 401 and res.headers["www-authenticate"] == "Bearer"
    assert ingest_client.get("/api/health").json()["counts"]["articles"] == 0


def test_ingest_document_then_again_is_idempotent(ingest_client: TestClient) -> None:
    first = ingest_client.post("/api/ingest", json={"document": QUAKE_AR}, headers=AUTH)
    assert first.status_code == 201, first.text
    data = first.json()
    assert data["added"] == 1 and data["new_stories"] == 1 and data["articles"][0]["story_id"]
    again = ingest_client.post("/api/ingest", json={"document": QUAKE_AR}, headers=AUTH)
    assert again.status_code == 200 and again.json()["already_stored"] == 1
    article = ingest_client.get(f"/api/articles/{data['articles'][0]['article_id']}").json()
    assert article["title"] == QUAKE_AR["title"] and article["outlet"] == "صحيفة الاختبار"


def test_ingest_second_report_joins_the_story(ingest_client: TestClient) -> None:
    one = ingest_client.post("/api/ingest", json={"document": QUAKE_AR}, headers=AUTH).json()
    two = ingest_client.post("/api/ingest", json={"document": QUAKE_AR_2}, headers=AUTH).json()
    assert two["new_stories"] == 0
    assert two["articles"][0]["story_id"] == one["articles"][0]["story_id"]
    story = ingest_client.get(f"/api/stories/{one['articles'][0]['story_id']}").json()
    assert {a["label"] for a in story["articles"]} == {"صحيفة الاختبار", "موقع التجربة"}
    assert story["first_reported"] == one["articles"][0]["article_id"]


def test_ingest_catches_up_with_articles_added_elsewhere(
    tmp_path: Path,
    seeds_dir: Path,
    make_client: Callable[..., TestClient],
    ingest_into: Callable[..., None],
) -> None:
    db = tmp_path / "shared.db"
    with make_client(db, api_token=TOKEN) as client:
        client.post("/api/ingest", json={"document": QUAKE_AR}, headers=AUTH)
        ingest_into(db, seeds_dir)  # the CLI path, while the app is running
        seed = (seeds_dir / "000_f462c494be0ac3b8.txt").read_text("utf-8")
        title, _, body = seed.partition("\n")
        lavrov = {"id": "t-lavrov", "title": title, "text": body.split("التعليقات")[0][:1500]}
        res = client.post("/api/ingest", json={"document": lavrov}, headers=AUTH).json()
        seed_story = client.get("/api/stories", params={"order": "size"}).json()["items"][0]
        assert res["articles"][0]["story_id"] == seed_story["id"] and seed_story["size"] == 3


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({}, "exactly one"),
        ({"url": "http://x.test/", "document": QUAKE_AR}, "exactly one"),
        ({"document": {"title": "no text"}}, "text"),
        ({"document": {**QUAKE_AR, "evil": 1}}, "evil"),
        ({"document": {**QUAKE_AR, "title": "x" * 3000}}, "title"),
        ({"url": "file:///etc/passwd"}, "http"),
        ({"url": "/etc/passwd"}, "http"),
        ({"url": "javascript:alert(1)"}, "http"),
    ],
)
def test_ingest_invalid_bodies_are_explained(
    ingest_client: TestClient, body: dict[str, object], fragment: str
) -> None:
    res = ingest_client.post("/api/ingest", json=body, headers=AUTH)
    assert res.status_code == 422, res.text
    assert res.headers["content-type"] == "application/problem+json"
    assert fragment in res.json()["detail"]
    assert ingest_client.get("/api/health").json()["counts"]["documents"] == 0


def test_ingest_rejected_document_is_a_problem_with_the_reason(ingest_client: TestClient) -> None:
    res = ingest_client.post(
        "/api/ingest", json={"document": {**QUAKE_AR, "published": "not a date"}}, headers=AUTH
    )
    assert res.status_code == 422
    body = res.json()
    assert "published" in body["detail"] and body["report"]["rejected"][0]["code"].startswith("E1")


def test_request_body_over_the_limit_is_413(tmp_path: Path, make_client: Callable[..., TestClient]) -> None:
    with make_client(tmp_path / "small.db", api_token=TOKEN, max_body_bytes=2_000) as client:
        big = {**QUAKE_AR, "text": "كلمة " * 1000}
        res = client.post("/api/ingest", json={"document": big}, headers=AUTH)
        assert res.status_code == 413 and res.headers["content-type"] == "application/problem+json"
        assert "2,000 byte" in res.json()["detail"]

        def chunks() -> Iterator[bytes]:  # no Content-Length: the limit is counted while reading
            yield b'{"document": {"text": "'
            for _ in range(50):
                yield b"x" * 100
            yield b'"}}'

        streamed = client.post(
            "/api/ingest", content=chunks(), headers={**AUTH, "Content-Type": "application/json"}
        )
        assert streamed.status_code == 413


class _Page(http.server.BaseHTTPRequestHandler):
    body = (
        "<!doctype html><html lang='ar'><head><meta charset='utf-8'><title>خبر محلي</title></head><body>"
        "<article><h1>افتتاح جسر جديد في مدينة الاختبار</h1>"
        "<p>افتتحت بلدية مدينة الاختبار صباح اليوم جسرا جديدا يربط ضفتي النهر بعد عامين من الأشغال.</p>"
        "<p>وقال رئيس البلدية إن الجسر سيخفف الازدحام المروري في وسط المدينة بشكل كبير.</p>"
        "</article></body></html>"
    ).encode()

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def page_url() -> Iterator[str]:
    """An Arabic news page served over HTTP on 127.0.0.1."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/news/bridge.html"
    server.shutdown()
    server.server_close()


def test_ingest_url_refuses_private_addresses_by_default(ingest_client: TestClient, page_url: str) -> None:
    res = ingest_client.post("/api/ingest", json={"url": page_url}, headers=AUTH)
    assert res.status_code == 422
    assert "non-public address" in res.json()["detail"]
    assert ingest_client.get("/api/health").json()["counts"]["articles"] == 0


def test_ingest_url_from_a_local_server(
    tmp_path: Path, page_url: str, make_client: Callable[..., TestClient]
) -> None:
    with make_client(tmp_path / "url.db", api_token=TOKEN, ingest_allow_private=True) as client:
        res = client.post("/api/ingest", json={"url": page_url}, headers=AUTH)
        assert res.status_code == 201, res.text
        article_id = res.json()["articles"][0]["article_id"]
        article = client.get(f"/api/articles/{article_id}").json()
        assert "جسر" in article["body"] and article["url"] == page_url


def test_settings_refuse_a_short_token(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="at least 16"):
        ApiSettings(db_path=tmp_path / "x.db", api_token="short")


def test_settings_from_env_reads_the_token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MARSAD_API_TOKEN", TOKEN)
    monkeypatch.setenv("MARSAD_DB", str(tmp_path / "env.db"))
    settings = ApiSettings.from_env()
    assert settings.api_token == TOKEN and settings.ingest_enabled
    assert settings.db_path == tmp_path / "env.db"
    monkeypatch.setenv("MARSAD_API_MAX_BODY_BYTES", "lots")
    with pytest.raises(ConfigError, match="MARSAD_API_MAX_BODY_BYTES"):
        ApiSettings.from_env()
