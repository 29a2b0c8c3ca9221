"""The web UI: HTML pages served by the API app, rendered with Jinja2 (autoescape on, always).

Pages read the store through the same functions as the JSON API; templates only format. Article text
is untrusted: it reaches templates as plain strings and is never marked safe.
"""

from __future__ import annotations

from importlib import resources
from typing import Annotated, Any, Literal

import jinja2
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from marsad.api import detail
from marsad.api.context import ID_PATTERN, Context, Filters, language_code
from marsad.api.meaning import meaning_note
from marsad.api.problems import BAD_REQUEST, Problem, not_found
from marsad.store import articles as article_repo
from marsad.store.search import ArticleFilter, search_text
from marsad.web.matrix import MARKS, SYMBOLS, claims_view
from marsad.web.render import (
    duplicate_kind_words,
    language_dir,
    majority_dir,
    marked_paragraphs,
    safe_href,
    text_dir,
)

PAGE_SIZE = 30

router = APIRouter(include_in_schema=False)

_env = jinja2.Environment(
    loader=jinja2.PackageLoader("marsad.web", "templates"),
    autoescape=True,  # every template, whatever its file name
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["textdir"] = text_dir
_env.filters["safe_href"] = safe_href
_env.globals["language_dir"] = language_dir
_env.globals["duplicate_kind_words"] = duplicate_kind_words
_env.globals["MARKS"] = MARKS
_env.globals["mark_symbols"] = SYMBOLS
_env.globals["mark_words"] = {
    "disagrees": "disagrees",
    "adds": "only this source",
    "carries": "carries it",
    "omits": "omits it",
    "first": "first to report it",
}


def static_dir() -> str:
    return str(resources.files("marsad.web").joinpath("static"))


def render(name: str, status: int = 200, **values: Any) -> HTMLResponse:
    return HTMLResponse(_env.get_template(name).render(**values), status_code=status)


def problem_page(problem: Problem, request: Request) -> Response:
    """The HTML face of a problem, for pages outside /api."""
    return render("error.html", status=problem.status, problem=problem, path=request.url.path)


@router.get("/", response_class=HTMLResponse)
def stories_page(
    ctx: Context,
    flt: Filters,
    order: Literal["recent", "size"] = "recent",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    try:
        listing = detail.list_stories_page(
            ctx.pool.reader(), flt, order=order, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
        )
    except LookupError as exc:
        raise Problem(422, BAD_REQUEST, str(exc)) from None
    return render("stories.html", listing=listing, flt=flt, order=order, page=page)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(ctx: Context, story_id: Annotated[str, Path(pattern=ID_PATTERN)]) -> HTMLResponse:
    store = ctx.pool.reader()
    found = detail.story_detail(store, story_id, ctx.comparisons)
    if found is None:
        raise not_found("story", story_id)
    shown = found.articles[: ctx.settings.compare_max_articles]
    columns = []
    for brief in shown:
        article = article_repo.get_article(store, brief.id)
        if article is not None:
            columns.append(
                {
                    "brief": brief,
                    "paragraphs": marked_paragraphs(article.paragraphs, found.comparison, brief.id),
                }
            )
    labels = {a.id: a.label for a in found.articles}
    view = None
    if found.comparison is not None and found.comparison.claims:
        view = claims_view(found.comparison, found.articles)
    return render(
        "story.html",
        d=found,
        columns=columns,
        labels=labels,
        briefs={a.id: a for a in found.articles},
        view=view,
        hidden=len(found.articles) - len(shown),
        story_dir=majority_dir(a.language for a in found.articles),
    )


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(ctx: Context, article_id: Annotated[str, Path(pattern=ID_PATTERN)]) -> HTMLResponse:
    found = detail.article_detail(ctx.pool.reader(), article_id)
    if found is None:
        raise not_found("article", article_id)
    replies: dict[int | None, list[Any]] = {}
    for comment in found.comments:
        # A reply must point back to an earlier comment; anything else is shown at the top level,
        # which also keeps the recursive template from looping on a malformed thread.
        parent = comment.parent if comment.parent is not None and comment.parent < comment.index else None
        replies.setdefault(parent, []).append(comment)
    return render("article.html", a=found, replies=replies)


@router.get("/search", response_class=HTMLResponse)
def search_page(
    ctx: Context,
    q: Annotated[str, Query(max_length=500)] = "",
    mode: Literal["text", "meaning"] = "text",
    language: Annotated[str | None, Query(max_length=16)] = None,
    page: Annotated[int, Query(ge=1, le=1_000)] = 1,
) -> HTMLResponse:
    hits: list[Any] = []
    total = 0
    note = None
    if q.strip():
        flt = ArticleFilter(language=language_code(language))
        store = ctx.pool.reader()
        offset = (page - 1) * PAGE_SIZE
        if mode == "meaning" and ctx.meaning is not None:
            found = ctx.meaning.search(store, q, flt=flt, limit=PAGE_SIZE, offset=offset)
            hits, total = found.hits, found.total
            note = f"By meaning: {meaning_note(found)}."
        else:
            if mode == "meaning":
                note = "Search by meaning is turned off on this server; showing word matches."
            result = search_text(store, q, flt=flt, limit=PAGE_SIZE, offset=offset)
            hits, total = list(result.hits), result.total
    return render(
        "search.html",
        q=q,
        mode=mode,
        language=language or "",
        hits=hits,
        total=total,
        note=note,
        page=page,
        page_size=PAGE_SIZE,
    )
