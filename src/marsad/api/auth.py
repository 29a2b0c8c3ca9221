"""The API token check shared by every route that writes (ingest, feeds, watchlists)."""

from __future__ import annotations

import hmac

from marsad.api.context import Context
from marsad.api.problems import INGEST_DISABLED, UNAUTHORIZED, Problem


def authorize(ctx: Context, authorization: str | None) -> None:
    """Pass when `authorization` is 'Bearer <the server's API token>'.

    Raises Problem 403 when the server has no token (writes disabled), 401 when the token is missing
    or wrong (compared in constant time).
    """
    token = ctx.settings.api_token
    if token is None:
        raise Problem(
            403,
            INGEST_DISABLED,
            "ingest through the API is disabled: start the server with MARSAD_API_TOKEN set to a secret"
            " of 16+ characters, then send 'Authorization: Bearer <token>'",
            slug="ingest-disabled",
        )
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise Problem(
            401,
            UNAUTHORIZED,
            "send the API token as 'Authorization: Bearer <token>'",
            slug="unauthorized",
            headers={"WWW-Authenticate": "Bearer"},
        )
