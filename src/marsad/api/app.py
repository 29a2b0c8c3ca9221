"""Moved: the app factory sits above `marsad.api` and `marsad.web`, in `marsad.app`. Kept so callers of
`marsad.api.app.create_app` keep working; import from `marsad.app`."""

from marsad.app import create_app, default_clusterer

__all__ = ["create_app", "default_clusterer"]
