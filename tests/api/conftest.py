"""API test fixtures: real stores built by the real ingest pipeline, and the app's test client."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from marsad.api import ApiSettings
from marsad.app import create_app
from marsad.cluster.lexical import LexicalClusterer
from marsad.config import load_config
from marsad.ingest import open_sources
from marsad.pipeline import default_clusterer, default_steps, ingest, restore_clusterer
from marsad.store import Store

TOKEN = "test-token-0123456789abcdef"


def ingest_paths(db: Path, *paths: Path) -> None:
    """Ingest `paths` into the store at `db` the way `marsad ingest` does."""
    with Store(db) as store:
        clusterer = LexicalClusterer()
        restore_clusterer(store, clusterer)
        ingest(store, open_sources([str(p) for p in paths], max_bytes=20_000_000), clusterer)


def ingest_like_cli(db: Path, *paths: Path) -> None:
    """Ingest `paths` exactly as `marsad ingest` does by default: the learned embedding clusterer
    (vectors cached in the store) and the default steps (duplicate groups, entities, quotes)."""
    cfg = load_config()
    with Store(db) as store:
        clusterer = default_clusterer(store.conn, cfg)
        restore_clusterer(store, clusterer)
        ingest(
            store,
            open_sources([str(p) for p in paths], max_bytes=20_000_000),
            clusterer,
            steps=default_steps(cfg),
        )


@pytest.fixture(scope="session")
def pipeline_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """samples/corpus through the real `marsad ingest` pipeline (built once; tests must not write to it)."""
    db = tmp_path_factory.mktemp("pipeline") / "samples.db"
    ingest_like_cli(db, Path(__file__).resolve().parents[2] / "samples" / "corpus")
    return db


@pytest.fixture
def api_token() -> str:
    return TOKEN


@pytest.fixture
def ingest_into() -> Callable[..., None]:
    """`ingest_into(db, *paths)`: ingest files the way `marsad ingest` does."""
    return ingest_paths


@pytest.fixture
def seeds_db(tmp_path: Path, seeds_dir: Path) -> Path:
    db = tmp_path / "seeds.db"
    ingest_paths(db, seeds_dir)
    return db


@pytest.fixture
def samples_db(tmp_path: Path, samples_dir: Path) -> Path:
    db = tmp_path / "samples.db"
    ingest_paths(db, samples_dir)
    return db


def client_for(db: Path, **overrides: object) -> TestClient:
    settings = ApiSettings(db_path=db, meaning_search=False).with_(**overrides)
    return TestClient(create_app(settings))


@pytest.fixture
def make_client() -> Callable[..., TestClient]:
    """`make_client(db, **settings)`: a test client over the app with those settings."""
    return client_for


@pytest.fixture
def seeds_client(seeds_db: Path) -> Iterator[TestClient]:
    with client_for(seeds_db) as client:
        yield client


@pytest.fixture
def samples_client(samples_db: Path) -> Iterator[TestClient]:
    with client_for(samples_db) as client:
        yield client


@pytest.fixture
def ingest_client(tmp_path: Path) -> Iterator[TestClient]:
    """An app over an empty store with ingest enabled by the token TOKEN."""
    with client_for(tmp_path / "ingest.db", api_token=TOKEN) as client:
        yield client
