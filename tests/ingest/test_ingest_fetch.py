"""The polite fetcher against a real local HTTP server."""

from __future__ import annotations

from typing import Any

import pytest

from marsad import errors
from marsad.errors import ConfigError
from marsad.ingest.fetch import FetchError, PoliteFetcher
from marsad.ingest.policy import FetchPolicy
from marsad.store import Store
from marsad.store.fetch_state import StoreFetchStates

Site = Any  # the `site` fixture of tests/ingest/conftest.py


def _policy(**changes: object) -> FetchPolicy:
    base: dict[str, object] = dict(
        allow_private=True, min_interval=0.0, retries=0, backoff=0.0, timeout=5.0, total_timeout=10.0
    )
    base.update(changes)
    return FetchPolicy(**base)  # type: ignore[arg-type]


def test_fetch_refuses_loopback_unless_allowed(site: Site) -> None:
    with PoliteFetcher(FetchPolicy()) as fetcher, pytest.raises(FetchError, match="non-public address"):
        fetcher.fetch(f"{site.base}/articles/en.html")
    assert site.hits["/articles/en.html"] == 0


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/x", "file:///etc/passwd", "http://"])
def test_fetch_rejects_non_http_urls(url: str) -> None:
    with PoliteFetcher(_policy()) as fetcher, pytest.raises(FetchError, match="only http"):
        fetcher.fetch(url)


def test_fetch_returns_body_and_http_facts(site: Site) -> None:
    with PoliteFetcher(_policy()) as fetcher:
        result = fetcher.fetch(f"{site.base}/articles/2.html")
    assert result.status == 200
    assert result.charset == "cp1256"
    assert "قمة سنابل" in result.content.decode("cp1256")
    assert site.headers["/articles/2.html"]["user-agent"].startswith("marsad/")


def test_fetch_obeys_robots_txt(site: Site) -> None:
    with PoliteFetcher(_policy()) as fetcher, pytest.raises(FetchError, match=r"robots\.txt"):
        fetcher.fetch(f"{site.base}/private/secret.html")
    assert site.hits["/private/secret.html"] == 0
    assert site.hits["/robots.txt"] == 1


def test_fetch_refuses_redirect_loops(site: Site) -> None:
    with PoliteFetcher(_policy()) as fetcher, pytest.raises(FetchError, match="redirect loop"):
        fetcher.fetch(f"{site.base}/loop-a")


def test_fetch_bounds_redirect_chains(site: Site) -> None:
    with PoliteFetcher(_policy(max_redirects=3)) as fetcher, pytest.raises(FetchError, match="more than 3"):
        fetcher.fetch(f"{site.base}/hop0")
    assert site.hits["/hop4"] == 0


@pytest.mark.parametrize("path", ["/huge", "/huge-chunked"])
def test_fetch_caps_body_size(site: Site, path: str) -> None:
    with PoliteFetcher(_policy(max_bytes=100_000)) as fetcher, pytest.raises(FetchError) as info:
        fetcher.fetch(f"{site.base}{path}")
    assert info.value.code == errors.TOO_LARGE


@pytest.mark.slow
def test_fetch_times_out_on_slow_server(site: Site) -> None:
    with PoliteFetcher(_policy(timeout=0.3)) as fetcher, pytest.raises(FetchError, match="timed out"):
        fetcher.fetch(f"{site.base}/slow")


@pytest.mark.slow
def test_fetch_total_deadline_stops_a_dripping_body(site: Site) -> None:
    with PoliteFetcher(_policy(timeout=2.0, total_timeout=0.5)) as fetcher, pytest.raises(FetchError):
        fetcher.fetch(f"{site.base}/drip")


def test_fetch_retries_with_backoff_after_503(site: Site) -> None:
    waits: list[float] = []
    with PoliteFetcher(_policy(retries=2, backoff=0.5), sleep=waits.append) as fetcher:
        result = fetcher.fetch(f"{site.base}/flaky")
    assert result.status == 200
    assert site.hits["/flaky"] == 2
    assert waits == [0.0]  # Retry-After: 0 from the server wins over the backoff


def test_fetch_spaces_requests_to_one_host(site: Site) -> None:
    now = [100.0]
    waits: list[float] = []
    with PoliteFetcher(_policy(min_interval=2.0), clock=lambda: now[0], sleep=waits.append) as fetcher:
        fetcher.fetch(f"{site.base}/articles/en.html")
        fetcher.fetch(f"{site.base}/articles/1.html")
    # robots.txt, then two pages: each request after the first waits out the interval.
    assert waits == [2.0, 2.0]


def test_fetch_conditional_get_persists_validators_in_store(site: Site, store: Store) -> None:
    url = f"{site.base}/etag.xml"
    with PoliteFetcher(_policy(), StoreFetchStates(store)) as fetcher:
        first = fetcher.fetch(url)
    assert not first.not_modified and first.content
    # A new fetcher (a later run) reads the validators back from the store file.
    with PoliteFetcher(_policy(), StoreFetchStates(Store(store.path))) as fetcher:
        second = fetcher.fetch(url)
    assert second.not_modified and second.content == b""
    assert site.headers["/etag.xml"]["if-none-match"] == site.etag
    assert StoreFetchStates(store).get(url).status == 304  # type: ignore[union-attr]


def test_fetch_policy_validates_arguments() -> None:
    with pytest.raises(ConfigError, match="max_bytes"):
        FetchPolicy(max_bytes=0)
