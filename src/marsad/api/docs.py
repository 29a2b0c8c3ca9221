"""The interactive API docs (/docs, Swagger UI) served from files installed with marsad, so they work
with no outside network.

The Swagger UI bundle comes from the `fastapi-offline` wheel (MIT; it vendors the swagger-ui-dist
build with its licence header); we serve only its static files and our own page, which carries no
inline script (Swagger UI is started by `docs_assets/swagger-init.js`). ReDoc is not offered: its
free build always loads a logo from its vendor's CDN.
"""

from __future__ import annotations

from html import escape
from importlib import resources
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

DOCS_URL = "/docs"
ASSETS_URL = "/docs-assets"  # the vendored Swagger UI bundle
INIT_URL = "/docs-init"  # our start-up script


def vendored_dir() -> Path:
    """The directory of the Swagger UI bundle shipped by `fastapi-offline`."""
    return Path(str(resources.files("fastapi_offline").joinpath("static")))


def init_dir() -> Path:
    return Path(str(resources.files("marsad.api").joinpath("docs_assets")))


def _swagger_page(title: str, openapi_url: str) -> str:
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{escape(title)} - Swagger UI</title>
<link rel="icon" href="{ASSETS_URL}/favicon.png">
<link rel="stylesheet" href="{ASSETS_URL}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{escape(openapi_url)}"></div>
<script src="{ASSETS_URL}/swagger-ui-bundle.js"></script>
<script src="{INIT_URL}/swagger-init.js"></script>
</body>
</html>
"""


def install_docs(app: FastAPI) -> None:
    """Serve /docs for `app` (created with docs_url=None, redoc_url=None) from local files."""
    openapi_url = app.openapi_url or "/openapi.json"
    swagger = _swagger_page(app.title, openapi_url)
    app.mount(ASSETS_URL, StaticFiles(directory=vendored_dir()), name="docs-assets")
    app.mount(INIT_URL, StaticFiles(directory=init_dir()), name="docs-init")

    @app.get(DOCS_URL, include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return HTMLResponse(swagger)
