"""The app factory, above `marsad.api` and `marsad.web`: the JSON API under /api and the web UI at /,
over one embedded store."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from marsad import __version__, pipeline
from marsad.api.access import StorePool
from marsad.api.comparison import ComparisonService
from marsad.api.context import AppContext
from marsad.api.docs import install_docs
from marsad.api.guards import BodyLimit, SecurityHeaders
from marsad.api.ingesting import IngestService
from marsad.api.monitor import router as monitor_router
from marsad.api.problems import install_problem_handlers
from marsad.api.routes import router as api_router
from marsad.api.settings import ApiSettings
from marsad.cluster.base import StoryClusterer
from marsad.config import load_config
from marsad.embed.base import Embedder, shared_embedder
from marsad.embed.meaning import MeaningSearcher
from marsad.monitor.alerts import AlertDispatcher
from marsad.store import Store
from marsad.web.coverage_pages import router as coverage_pages_router
from marsad.web.monitor_pages import router as monitor_pages_router
from marsad.web.pages import problem_page, static_dir
from marsad.web.pages import router as web_router
from marsad.web.storyline_pages import router as storyline_pages_router


def default_clusterer(settings: ApiSettings) -> Callable[[], StoryClusterer]:
    """The clusterer `marsad ingest` uses, with the same configuration. Its embedding cache gets a
    connection of its own: the clusterer outlives the per-request store connections.
    """
    cfg = settings.config or load_config()

    def make() -> StoryClusterer:
        return pipeline.default_clusterer(Store(settings.db_path).conn, cfg)

    return make


def create_app(
    settings: ApiSettings,
    *,
    embedder_factory: Callable[[], Embedder] = shared_embedder,
    clusterer_factory: Callable[[], StoryClusterer] | None = None,
) -> FastAPI:
    """The marsad app over `settings.db_path` (created and migrated if needed).

    Raises StoreError when the store cannot be opened or migrated.
    """
    pool = StorePool(settings.db_path)
    config = settings.config or load_config()
    ctx = AppContext(
        settings=settings,
        pool=pool,
        comparisons=ComparisonService(settings.compare_max_articles),
        meaning=(
            MeaningSearcher(embedder_factory, max_candidates=settings.meaning_candidates)
            if settings.meaning_search
            else None
        ),
        ingest=IngestService(
            clusterer_factory or default_clusterer(settings),
            steps=pipeline.default_steps(config),
            max_bytes=settings.ingest_max_bytes,
            allow_private=settings.ingest_allow_private,
            compare_max_articles=settings.compare_max_articles,
            budget=config.ingest.time_budget,
            compare_budget=config.ingest.compare_budget,
        ),
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        alerts = AlertDispatcher(settings.db_path).start()  # alerts raised by API ingest, or by others
        yield
        alerts.stop()
        pool.close()

    app = FastAPI(
        title="marsad API",
        version=__version__,
        summary="Arabic-first multilingual news observatory: stories, articles, comparison, search.",
        description=(
            "Errors are problem JSON (RFC 9457) with a stable `code`. Ingest needs"
            " `Authorization: Bearer <MARSAD_API_TOKEN>` and is disabled when no token is configured."
        ),
        lifespan=lifespan,
        docs_url=None,  # served from local files by install_docs: no CDN
        redoc_url=None,
    )
    app.state.marsad = ctx
    install_problem_handlers(app, html=problem_page)
    app.include_router(api_router)
    app.include_router(monitor_router)
    app.include_router(web_router)
    install_docs(app)
    app.include_router(monitor_pages_router)
    app.include_router(storyline_pages_router)
    app.include_router(coverage_pages_router)
    app.mount("/static", StaticFiles(directory=static_dir()), name="static")
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    return app
