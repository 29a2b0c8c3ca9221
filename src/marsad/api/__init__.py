"""The REST API (FastAPI, OpenAPI at /openapi.json) and the app that also serves the web UI."""

from marsad.api.app import create_app
from marsad.api.settings import ApiSettings

__all__ = ["ApiSettings", "create_app"]
