"""The REST API (FastAPI, OpenAPI at /openapi.json): routes, schemas, settings. The app that serves it
with the web UI is built by `marsad.app.create_app`, above both."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from marsad.api.settings import ApiSettings

if TYPE_CHECKING:
    from marsad.app import create_app

__all__ = ["ApiSettings", "create_app"]


def __getattr__(name: str) -> Any:
    # `marsad.api.create_app` predates `marsad.app`; resolved on use, since `marsad.app` imports this
    # package (an import here would make the two packages import each other).
    if name == "create_app":
        from marsad.app import create_app

        return create_app
    raise AttributeError(f"module 'marsad.api' has no attribute {name!r}")
