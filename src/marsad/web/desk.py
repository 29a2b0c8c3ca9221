"""Who may change feeds and watchlists from the monitor page, and how a form proves it came from it.

The page's forms write what the token-protected API writes, so they need the same API token: the
reader types it once into a sign-in form, and the server answers with a session cookie holding its
expiry and an HMAC of it under the token (never the token), HttpOnly, SameSite=Strict, limited to
/monitor; changing the token ends every session. Every form post must then (1) come from this site:
its Origin (else Referer) names the host the request was sent to, (2) carry an unexpired session
cookie, and (3) carry the form token printed in the page (an HMAC of that session), which another
site cannot read. No API token configured: the page is read-only, as the API's
write routes are then disabled.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import Response

from marsad.api.problems import CROSS_SITE, INGEST_DISABLED, UNAUTHORIZED, Problem
from marsad.api.settings import ApiSettings

SESSION_COOKIE = "marsad_desk"
SESSION_PATH = "/monitor"
SESSION_SECONDS = 12 * 3600
_SESSION_PURPOSE = b"marsad desk session v1"
_FORM_PURPOSE = b"marsad desk form v1"


def _mac(token: str, purpose: bytes) -> str:
    return hmac.new(token.encode(), purpose, hashlib.sha256).hexdigest()


def _session_value(token: str, expires: int) -> str:
    return f"{expires}.{_mac(token, _SESSION_PURPOSE + b' ' + str(expires).encode())}"


def _valid_session(token: str, given: str) -> bool:
    expires, _, _ = given.partition(".")
    if not expires.isdigit() or len(expires) > 12 or int(expires) < time.time():
        return False
    return hmac.compare_digest(given.encode(), _session_value(token, int(expires)).encode())


@dataclass(slots=True, frozen=True)
class Desk:
    """What the monitor page may offer this reader: `enabled` when the server has an API token,
    `signed_in` when the reader's session cookie matches it; `form_token` goes in every form."""

    enabled: bool
    signed_in: bool
    form_token: str


def desk_for(settings: ApiSettings, request: Request) -> Desk:
    token = settings.api_token
    if token is None:
        return Desk(False, False, "")
    given = request.cookies.get(SESSION_COOKIE, "")
    if not _valid_session(token, given):
        return Desk(True, False, "")
    return Desk(True, True, _mac(token, _FORM_PURPOSE + b" " + given.encode()))


def same_site(request: Request) -> bool:
    """True when the post names this site as its origin: Origin (else Referer) has the host the
    browser sent the request to (the Host header, or X-Forwarded-Host from a reverse proxy; a form
    on another site can set neither)."""
    source = request.headers.get("origin") or request.headers.get("referer")
    if not source or source == "null":
        return False
    try:
        netloc = urlsplit(source).netloc.lower()
    except ValueError:
        return False
    hosts = {request.headers.get("host", ""), *request.headers.get("x-forwarded-host", "").split(",")}
    return bool(netloc) and netloc in {h.strip().lower() for h in hosts if h.strip()}


def _refuse_cross_site() -> Problem:
    return Problem(
        403,
        CROSS_SITE,
        "this form was not sent from this site's monitor page (its Origin names another host); open"
        " /monitor on this server and send it from there. Behind a reverse proxy, pass the Host header"
        " through (nginx: proxy_set_header Host $host)",
        slug="cross-site",
    )


def _disabled() -> Problem:
    return Problem(
        403,
        INGEST_DISABLED,
        "changes from the monitor page are disabled: start the server with MARSAD_API_TOKEN set to a"
        " secret of 16+ characters",
        slug="ingest-disabled",
    )


def check_sign_in(settings: ApiSettings, request: Request, given: str) -> None:
    """Raises Problem unless the sign-in form came from this site with the API token."""
    if not same_site(request):
        raise _refuse_cross_site()
    token = settings.api_token
    if token is None:
        raise _disabled()
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise Problem(401, UNAUTHORIZED, "that is not the server's API token", slug="unauthorized")


def check_form(settings: ApiSettings, request: Request, form_token: str) -> None:
    """Raises Problem unless a change form came from this site, signed in, with the page's form token."""
    if not same_site(request):
        raise _refuse_cross_site()
    desk = desk_for(settings, request)
    if not desk.enabled:
        raise _disabled()
    if not desk.signed_in:
        raise Problem(
            401, UNAUTHORIZED, "sign in on the monitor page with the API token first", slug="unauthorized"
        )
    if not hmac.compare_digest(form_token.encode(), desk.form_token.encode()):
        raise _refuse_cross_site()


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "") == "https"


def open_session(response: Response, settings: ApiSettings, request: Request) -> None:
    assert settings.api_token is not None  # check_sign_in passed
    response.set_cookie(
        SESSION_COOKIE,
        _session_value(settings.api_token, int(time.time()) + SESSION_SECONDS),
        max_age=SESSION_SECONDS,
        path=SESSION_PATH,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )


def close_session(response: Response, request: Request) -> None:
    response.delete_cookie(
        SESSION_COOKIE, path=SESSION_PATH, httponly=True, samesite="strict", secure=_secure(request)
    )
