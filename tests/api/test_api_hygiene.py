"""API hygiene: errors documented with the project's problem model, 405 with an `Allow` header, and
no 5xx for any bad parameter a client can send."""

from __future__ import annotations

import json
import random
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from marsad.api.problems import PROBLEM_MEDIA_TYPE, ProblemOut

TOKEN = "test-token-0123456789abcdef"  # the token the `ingest_client` fixture enables

PROBLEM_REF = "#/components/schemas/Problem"


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/api/stories", "GET"),
        ("POST", "/api/health", "GET"),
        ("GET", "/api/ingest", "POST"),
        ("PUT", "/api/ingest", "POST"),
        ("DELETE", "/api/feeds", "GET, POST"),  # two routes share the path
        ("POST", "/api/articles/abc", "GET"),
    ],
)
def test_api_wrong_method_is_405_with_allow(
    ingest_client: TestClient, method: str, path: str, allow: str
) -> None:
    response = ingest_client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert response.headers["content-type"].startswith(PROBLEM_MEDIA_TYPE)
    body = ProblemOut.model_validate(response.json())
    assert body.code == "E508" and allow in body.detail


def test_web_page_wrong_method_is_405_with_allow(ingest_client: TestClient) -> None:
    response = ingest_client.post("/")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET"
    assert response.headers["content-type"].startswith("text/html")


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, ops in spec["paths"].items() for method, op in ops.items()]


def test_openapi_documents_errors_with_the_problem_model(ingest_client: TestClient) -> None:
    spec = ingest_client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert "Problem" in schemas and "HTTPValidationError" not in schemas
    assert {"type", "title", "status", "detail", "code", "instance"} <= set(schemas["Problem"]["required"])
    checked = 0
    for path, method, op in _operations(spec):
        responses = op["responses"]
        if op.get("parameters") or op.get("requestBody"):
            assert {"400", "422"} <= set(responses), f"{method} {path}"
        for status, response in responses.items():
            if int(status) >= 400:
                content = response["content"]
                assert list(content) == [PROBLEM_MEDIA_TYPE], f"{method} {path} {status}"
                assert content[PROBLEM_MEDIA_TYPE]["schema"] == {"$ref": PROBLEM_REF}
                checked += 1
    assert checked >= 30
    assert "application/json" not in json.dumps(
        [
            r.get("content", {})
            for _, _, op in _operations(spec)
            for s, r in op["responses"].items()
            if int(s) >= 400
        ]
    )


def test_validation_problem_matches_the_documented_model(ingest_client: TestClient) -> None:
    response = ingest_client.get("/api/stories", params={"limit": "many"})
    assert response.status_code == 422
    problem = ProblemOut.model_validate(response.json())
    assert problem.errors and problem.errors[0].loc == ["query", "limit"]
    bad_body = ingest_client.post(
        "/api/ingest",
        content=b"{not json",
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )
    assert bad_body.status_code == 422
    ProblemOut.model_validate(bad_body.json())


BAD_VALUES = [
    "",
    " ",
    "-1",
    "0",
    "99999999999999999999999999",
    "1e308",
    "NaN",
    "null",
    "true",
    "[]",
    "{}",
    "' OR 1=1 --",
    '"; DROP TABLE articles; --',
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "%00",
    "\x00",
    "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
    "زلزال" * 50,
    "a" * 5000,
    "2016-13-45",
    "2016-05-24T25:61:00",
    "9999-12-31",
    "0001-01-01",
    "*",
    'a"b',
    "NEAR(a b)",
    "a OR b NOT c",
]


def _fill(rng: random.Random, op: dict[str, Any], path: str) -> tuple[str, dict[str, str]]:
    params: dict[str, str] = {}
    for param in op.get("parameters", []):
        value = rng.choice(BAD_VALUES)
        if param["in"] == "path":
            path = path.replace("{" + param["name"] + "}", quote(value, safe="") or "x")
        elif param["in"] == "query":
            params[param["name"]] = value
    return path, params


def test_api_fuzzed_parameters_never_5xx(seeds_client: TestClient) -> None:
    spec = seeds_client.get("/openapi.json").json()
    rng = random.Random(13)
    gets = [
        (path, op)
        for path, method, op in _operations(spec)
        if method == "get" and path.startswith("/api") and "event-stream" not in json.dumps(op["responses"])
    ]
    assert len(gets) >= 10
    statuses: dict[int, int] = {}
    for _ in range(20):
        for path, op in gets:
            url, params = _fill(rng, op, path)
            response = seeds_client.get(url, params=params)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            assert response.status_code < 500, (url, params, response.text[:300])
            if response.status_code >= 400:
                ProblemOut.model_validate(response.json())
    assert sum(statuses.values()) == 20 * len(gets)


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"[]",
        b"null",
        b'{"url": 5}',
        b'{"url": "ftp://x"}',
        b'{"url": "http://[::1"}',
        b'{"url": "http://example.com:99999/"}',
        b'{"document": {"id": "x"}}',
        b'{"document": {"id": "x", "text": 1}}',
        b'{"document": {"id": "x", "text": "\\ud800"}}',
        b'{"document": {"id": "x", "text": "'
        + b"[" * 10
        + b'", "title": '
        + b"[" * 5000
        + b"]" * 5000
        + b"}}",
        b'{"url": "http://example.com", "document": {"id": "x", "text": "y"}}',
        b'{"document": {"id": "x", "text": "ok", "published": "yesterday"}}',
    ],
)
def test_api_ingest_bad_bodies_never_5xx(ingest_client: TestClient, body: bytes) -> None:
    response = ingest_client.post(
        "/api/ingest",
        content=body,
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )
    assert 400 <= response.status_code < 500, response.text[:300]
    ProblemOut.model_validate(response.json())
