"""The read side of the API: health, story list and filters, story and article detail, raw bytes, OpenAPI."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from marsad.store import Store
from marsad.store import stories as story_repo

PROBLEM = "application/problem+json"


def test_health_reports_counts_and_capabilities(seeds_client: TestClient) -> None:
    res = seeds_client.get("/api/health")
    assert res.status_code == 200
    data = res.json()
    assert data["status"] == "ok"
    assert data["counts"]["articles"] == 2 and data["counts"]["stories"] == 1
    assert data["ingest_enabled"] is False
    assert data["schema_version"] >= 1


def test_stories_list_has_sources_and_languages(samples_client: TestClient) -> None:
    data = samples_client.get("/api/stories", params={"order": "size"}).json()
    assert data["total"] == len(data["items"]) > 5
    sizes = [s["size"] for s in data["items"]]
    assert sizes == sorted(sizes, reverse=True)
    top = data["items"][0]
    assert top["size"] >= 3 and len(top["outlets"]) >= 3 and top["languages"] == ["ar"]


def test_stories_recent_order_puts_newest_day_first(samples_client: TestClient) -> None:
    items = samples_client.get("/api/stories").json()["items"]
    days = [(s["last_published"] or "")[:10] for s in items if s["last_published"]]
    assert days == sorted(days, reverse=True)


@pytest.mark.parametrize(
    ("params", "check"),
    [
        ({"language": "fr"}, lambda s: "fr" in s["languages"]),
        ({"language": "EN"}, lambda s: "en" in s["languages"]),
        ({"outlet": "Meridian Daily"}, lambda s: "Meridian Daily" in s["outlets"]),
        ({"since": "2026-04-15"}, lambda s: (s["last_published"] or "") >= "2026-04-15"),
        ({"until": "2026-03-20"}, lambda s: (s["first_published"] or "9") < "2026-03-20"),
    ],
)
def test_stories_filters_restrict_the_list(samples_client: TestClient, params: dict[str, str], check) -> None:  # type: ignore[no-untyped-def]
    everything = samples_client.get("/api/stories").json()["total"]
    data = samples_client.get("/api/stories", params=params).json()
    assert 0 < data["total"] < everything
    assert all(check(s) for s in data["items"])


def test_stories_paging_walks_the_whole_list(samples_client: TestClient) -> None:
    seen: list[str] = []
    offset: int | None = 0
    while offset is not None:
        page = samples_client.get("/api/stories", params={"limit": 5, "offset": offset}).json()
        assert len(page["items"]) <= 5
        seen.extend(s["id"] for s in page["items"])
        offset = page["next_offset"]
    assert len(seen) == len(set(seen)) == page["total"]


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 1000},
        {"limit": 0},
        {"offset": -1},
        {"since": "yesterday"},
        {"language": "<script>"},
        {"order": "random()"},
        {"outlet": "x" * 500},
    ],
)
def test_stories_bad_parameters_are_problem_json(
    samples_client: TestClient, params: dict[str, object]
) -> None:
    res = samples_client.get("/api/stories", params=params)
    assert res.status_code == 422
    assert res.headers["content-type"] == PROBLEM
    body = res.json()
    assert body["status"] == 422 and body["code"] and body["detail"] and body["instance"] == "/api/stories"


def test_stories_entity_filter_without_entities_says_why(
    samples_client: TestClient, samples_db: Path
) -> None:
    with Store(samples_db) as store:
        has_entities = store.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'mentions'").fetchone()
    res = samples_client.get("/api/stories", params={"entity": "Wadi Zahra"})
    if has_entities:
        assert res.status_code == 200
    else:
        assert res.status_code == 422 and "entities" in res.json()["detail"]


def test_story_detail_lists_articles_timeline_and_comparison_state(seeds_client: TestClient) -> None:
    story_id = seeds_client.get("/api/stories").json()["items"][0]["id"]
    data = seeds_client.get(f"/api/stories/{story_id}").json()
    assert data["story"]["id"] == story_id
    assert len(data["articles"]) == 2 and len(data["timeline"]) == 2
    labels = {a["label"] for a in data["articles"]}
    assert "عكس السير" in labels and len(labels) == 2
    assert all(t["basis"] in ("published", "fetched", "ingested") for t in data["timeline"])
    assert data["comparison_status"] in ("ok", "unavailable", "error")
    if data["comparison_status"] != "ok":
        assert data["comparison"] is None and data["comparison_note"]


@pytest.mark.parametrize("path", ["/api/stories/s0000000000000", "/api/articles/ffffffffffffffff"])
def test_unknown_ids_are_404_problems(seeds_client: TestClient, path: str) -> None:
    res = seeds_client.get(path)
    assert res.status_code == 404 and res.headers["content-type"] == PROBLEM
    assert res.json()["code"] == "E501" and "no " in res.json()["detail"]


def test_malformed_id_is_rejected_before_the_store(seeds_client: TestClient) -> None:
    res = seeds_client.get("/api/articles/' OR '1'='1")
    assert res.status_code == 422 and res.headers["content-type"] == PROBLEM


def test_article_detail_keeps_comments_apart(seeds_client: TestClient, seeds_db: Path) -> None:
    with Store(seeds_db) as store:
        story = story_repo.list_stories(store)[0]
    first = story.article_ids[0]
    data = seeds_client.get(f"/api/articles/{first}").json()
    assert data["title"].startswith("روسيا")
    assert data["comments_stated"] == 9 and len(data["comments"]) == 5
    assert data["comments"][1]["parent"] == 1
    assert all(c["text"] not in data["body"] for c in data["comments"])
    assert data["story_id"] == story.id
    assert data["raw_url"] == f"/api/articles/{first}/raw"


def test_article_short_id_prefix_finds_the_article(seeds_client: TestClient, seeds_db: Path) -> None:
    with Store(seeds_db) as store:
        full = story_repo.list_stories(store)[0].article_ids[0]
    assert seeds_client.get(f"/api/articles/{full[:8]}").json()["id"] == full


def test_article_raw_is_plain_text_never_html(samples_client: TestClient, samples_db: Path) -> None:
    with Store(samples_db) as store:
        row = store.conn.execute("SELECT id FROM documents WHERE hint = 'html' LIMIT 1").fetchone()
    assert row is not None, "the sample corpus has HTML pages"
    res = samples_client.get(f"/api/articles/{row[0]}/raw")
    assert res.status_code == 200
    assert res.headers["content-type"].startswith("text/plain")
    assert "sandbox" in res.headers["content-security-policy"]
    assert res.headers["x-content-type-options"] == "nosniff"
    assert b"<html" in res.content.lower()


def test_openapi_describes_every_endpoint(seeds_client: TestClient) -> None:
    paths = seeds_client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/health",
        "/api/stories",
        "/api/stories/{story_id}",
        "/api/articles/{article_id}",
        "/api/articles/{article_id}/raw",
        "/api/search",
        "/api/ingest",
    ):
        assert path in paths, path
    assert not any(p.startswith("/stories") for p in paths), "web pages stay out of the API schema"


def test_every_response_carries_security_headers(seeds_client: TestClient) -> None:
    for path in ("/", "/api/health", "/static/style.css", "/api/nothing-here"):
        headers = seeds_client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, path
        assert headers["x-content-type-options"] == "nosniff"


def test_unknown_api_path_and_method_are_problems(seeds_client: TestClient) -> None:
    missing = seeds_client.get("/api/nothing-here")
    assert missing.status_code == 404 and missing.headers["content-type"] == PROBLEM
    wrong = seeds_client.delete("/api/stories")
    assert wrong.status_code == 405 and wrong.headers["content-type"] == PROBLEM
