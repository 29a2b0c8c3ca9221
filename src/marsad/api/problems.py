"""Errors as problem JSON (RFC 9457): `application/problem+json` with type, title, status, detail, code.

Routes raise `Problem`; the handlers installed by `install_problem_handlers` turn it, FastAPI's
validation errors, HTTP errors, `MarsadError`s and unexpected exceptions into problem responses.
Pages outside /api get the same information as a small HTML page instead (see marsad.web).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from marsad.errors import ConfigError, InputError, MarsadError, StoreError

log = logging.getLogger("marsad.api")

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "https://marsad.invalid/problems/"

# Stable problem codes of the API (E5xx), beside the library's E1xx-E4xx.
NOT_FOUND = "E501"
BAD_REQUEST = "E502"
INGEST_DISABLED = "E503"
UNAUTHORIZED = "E504"
TOO_LARGE = "E505"
INTERNAL = "E506"
UNAVAILABLE = "E507"
METHOD = "E508"
CROSS_SITE = "E509"  # a page form sent from another site (marsad.web.desk)

_TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    413: "Request too large",
    422: "Invalid input",
    500: "Internal error",
    503: "Unavailable",
}


class ValidationIssueOut(BaseModel):
    """One field a 422 found invalid."""

    loc: list[str] = Field(description="Where: body, query, path or header, then the field's name.")
    msg: str


class ProblemOut(BaseModel):
    """Every API error (RFC 9457 problem JSON, media type application/problem+json)."""

    model_config = ConfigDict(extra="allow", title="Problem")

    type: str = Field(description="A URI naming the kind of problem.")
    title: str
    status: int
    detail: str = Field(description="What went wrong and how to fix it.")
    code: str = Field(description="marsad's stable error code (E1xx input ... E5xx API).")
    instance: str = Field(description="The request path.")
    errors: list[ValidationIssueOut] | None = Field(
        default=None, description="422 on invalid input: each invalid field (at most 20)."
    )


class Problem(Exception):
    """An HTTP error with a stable code and a message that says what to do."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        slug: str | None = None,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.slug = slug or _TITLES.get(status, "error").lower().replace(" ", "-")
        self.extra = extra or {}
        self.headers = headers or {}

    def body(self, instance: str) -> dict[str, Any]:
        return {
            "type": PROBLEM_BASE + self.slug,
            "title": _TITLES.get(self.status, "Error"),
            "status": self.status,
            "detail": self.detail,
            "code": self.code,
            "instance": instance,
            **self.extra,
        }


def not_found(what: str, ident: str) -> Problem:
    return Problem(404, NOT_FOUND, f"no {what} with id {ident!r} in this store", slug="not-found")


def problem_response(problem: Problem, request: Request) -> Response:
    return JSONResponse(
        problem.body(request.url.path),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=problem.headers,
    )


def from_exception(exc: Exception) -> Problem:
    """The problem an exception stands for (unexpected exceptions become a 500 without internals)."""
    if isinstance(exc, Problem):
        return exc
    if isinstance(exc, RequestValidationError):
        errors = [
            {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))[:300]}
            for e in exc.errors()[:20]
        ]
        where = "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors[:3])
        return Problem(422, BAD_REQUEST, f"the request is not valid: {where}", extra={"errors": errors})
    if isinstance(exc, StarletteHTTPException):
        if exc.status_code == 404:
            return Problem(
                404, NOT_FOUND, "no such page or endpoint; see /docs for the API", slug="not-found"
            )
        if exc.status_code == 413:
            return Problem(413, TOO_LARGE, str(exc.detail), slug="request-too-large")
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            allowed = headers.get("Allow", "")
            return Problem(
                405,
                METHOD,
                f"this method is not allowed here; allowed: {allowed or 'none'}",
                slug="method-not-allowed",
                headers=headers,
            )
        return Problem(exc.status_code, BAD_REQUEST, str(exc.detail), headers=headers)
    if isinstance(exc, InputError):
        return Problem(422, exc.code, exc.args[0])
    if isinstance(exc, ConfigError):
        return Problem(503, exc.code, exc.args[0], slug="misconfigured")
    if isinstance(exc, StoreError):
        return Problem(503, exc.code, exc.args[0], slug="store-unavailable")
    if isinstance(exc, MarsadError):
        return Problem(400, exc.code, exc.args[0])
    return Problem(500, INTERNAL, "an unexpected error occurred; the server log has the details")


Renderer = Callable[[Problem, Request], Response]


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(request: Request) -> str:
    """The methods some route of the app answers at the request's path (the `Allow` header of a 405):
    each method is tried against the app's routes. Starlette's own header names only the methods of
    the first route it found for the path; a path served by several routes (GET and POST on
    /api/feeds) allows those of all of them."""
    routes = request.app.router.routes
    allowed = [
        method
        for method in _METHODS
        if any(route.matches({**request.scope, "method": method})[0] == Match.FULL for route in routes)
    ]
    return ", ".join(allowed)


def install_problem_handlers(app: FastAPI, html: Renderer | None = None) -> None:
    """Every error becomes problem JSON under /api (and at /openapi.json), or `html` elsewhere."""

    async def handle(request: Request, exc: Exception) -> Response:
        problem = from_exception(exc)
        if problem.status == 405:
            problem.headers["Allow"] = allowed_methods(request)
            problem.detail = f"this method is not allowed here; allowed: {problem.headers['Allow']}"
        if problem.status >= 500 and not isinstance(exc, Problem | MarsadError):
            log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        if html is not None and not request.url.path.startswith("/api"):
            response = html(problem, request)
            response.headers.update(problem.headers)
            return response
        return problem_response(problem, request)

    handler: Callable[[Request, Exception], Awaitable[Response]] = handle
    for kind in (Problem, RequestValidationError, StarletteHTTPException, MarsadError, Exception):
        app.add_exception_handler(kind, handler)
    _document_problems(app)


_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
_INPUT_PROBLEMS = {
    "400": "Bad request: marsad refused it for a reason of its own (see `code`)",
    "422": "Invalid input: a parameter or the body is not valid (each field in `errors`)",
}


def _document_problems(app: FastAPI) -> None:
    """Make the OpenAPI schema tell the truth about errors: every 4xx/5xx response of an operation is
    problem JSON with the `Problem` schema (FastAPI documents its own `HTTPValidationError` for 422,
    which the API never sends), and every operation that takes parameters or a body lists 400 and 422.
    """
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        problem = ProblemOut.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(problem.pop("$defs", {}))
        components["Problem"] = problem
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                if operation.get("parameters") or operation.get("requestBody"):
                    for status, description in _INPUT_PROBLEMS.items():
                        responses.setdefault(status, {"description": description})
                for status, response in responses.items():
                    if status.isdigit() and int(status) >= 400:
                        if response.get("description") in (None, "", "Validation Error", "Problem JSON"):
                            response["description"] = _INPUT_PROBLEMS.get(status) or _TITLES.get(
                                int(status), "Error"
                            )
                        response["content"] = {PROBLEM_MEDIA_TYPE: {"schema": _PROBLEM_REF}}
        text = json.dumps(schema.get("paths", {}))
        for unused in ("HTTPValidationError", "ValidationError"):
            if f"#/components/schemas/{unused}" not in text:
                components.pop(unused, None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
