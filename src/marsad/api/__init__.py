"""The REST API (FastAPI, OpenAPI at /openapi.json): routes, schemas, settings. The app that serves it
with the web UI is built by `marsad.app.create_app`, above both."""

from marsad.api.settings import ApiSettings

__all__ = ["ApiSettings"]
