"""The web UI: HTML pages served by the API app, rendered with Jinja2 (autoescape on, always).

Pages read the store through the same functions as the JSON API; templates only format. Article text
is untrusted: it reaches templates as plain strings and is never marked safe.
"""

from __future__ import annotations

from importlib import resources
from typing import Annotated, Any, Literal

import jinja2
from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from marsad.api import detail
from marsad.api.context import ID_PATTERN, Context, Filters, language_code
from marsad.api.problems import BAD_REQUEST, Problem, not_found
from marsad.store import Store
from marsad.store import articles as article_repo
from marsad.store import storylines as storyline_repo
from marsad.store.db import utcnow
from marsad.store.entities import ingested_times
from marsad.store.search import ArticleFilter, search_text
from marsad.store.stories import updated_times
from marsad.store.storylines import StorylineSummary
from marsad.web.i18n import COOKIE, Interface, negotiate
from marsad.web.matrix import MARKS, SYMBOLS, claims_view
from marsad.web.render import (
    code,
    isolate,
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
_env.globals["isolate"] = isolate
_env.globals["code"] = code
_env.globals["MARKS"] = MARKS
_env.globals["mark_symbols"] = SYMBOLS
_env.globals["EXPORTS"] = (("csv", "CSV"), ("jsonl", "JSONL"), ("parquet", "Parquet"))
COOKIE_AGE = 365 * 24 * 3600


def static_dir() -> str:
    return str(resources.files("marsad.web").joinpath("static"))


def interface(
    request: Request, lang: Annotated[str | None, Query(max_length=16, include_in_schema=False)] = None
) -> Interface:
    """The reader's interface language: ?lang=, else the cookie, else Accept-Language, else English."""
    return negotiate(lang, request.cookies.get(COOKIE), request.headers.get("accept-language"))


UI = Annotated[Interface, Depends(interface)]


def render(name: str, ui: Interface, request: Request, status: int = 200, **values: Any) -> HTMLResponse:
    """The page `name` in the reader's language; a language chosen with ?lang= is remembered."""
    links = ui.links(request.url.path, dict(request.query_params))
    html = _env.get_template(name).render(ui=ui, t=ui.t, tn=ui.tn, lang_links=links, **values)
    response = HTMLResponse(html, status_code=status)
    response.headers["Vary"] = "Accept-Language, Cookie"
    response.headers["Content-Language"] = ui.lang
    if ui.chosen:
        response.set_cookie(COOKIE, ui.lang, max_age=COOKIE_AGE, samesite="lax", httponly=True)
    return response


def problem_page(problem: Problem, request: Request) -> Response:
    """The HTML face of a problem, for pages outside /api."""
    ui = interface(request, request.query_params.get("lang"))
    return render("error.html", ui, request, status=problem.status, problem=problem, path=request.url.path)


@router.get("/", response_class=HTMLResponse)
def stories_page(
    ctx: Context,
    ui: UI,
    request: Request,
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
    return render(
        "stories.html",
        ui,
        request,
        listing=listing,
        flt=flt,
        order=order,
        page=page,
        now=utcnow(),
        updated=updated_times(ctx.pool.reader(), [s.id for s in listing.items]),
    )


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(
    ctx: Context, ui: UI, request: Request, story_id: Annotated[str, Path(pattern=ID_PATTERN)]
) -> HTMLResponse:
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
        view = claims_view(found.comparison, found.articles, prefer=(ui.lang,))
    return render(
        "story.html",
        ui,
        request,
        d=found,
        columns=columns,
        labels=labels,
        briefs={a.id: a for a in found.articles},
        view=view,
        hidden=len(found.articles) - len(shown),
        story_dir=majority_dir(a.language for a in found.articles),
        arrived=ingested_times(store, [a.id for a in found.articles]),
        storyline=_storyline(store, story_id),
        now=utcnow(),
    )


def _storyline(store: Store, story_id: str) -> StorylineSummary | None:
    """The storyline `story_id` belongs to, when it links it to other stories."""
    line_id = storyline_repo.storyline_of(store, story_id)
    found = storyline_repo.get_storyline(store, line_id) if line_id else None
    return found if found is not None and len(found.stories) > 1 else None


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(
    ctx: Context, ui: UI, request: Request, article_id: Annotated[str, Path(pattern=ID_PATTERN)]
) -> HTMLResponse:
    found = detail.article_detail(ctx.pool.reader(), article_id)
    if found is None:
        raise not_found("article", article_id)
    replies: dict[int | None, list[Any]] = {}
    for comment in found.comments:
        # A reply must point back to an earlier comment; anything else is shown at the top level,
        # which also keeps the recursive template from looping on a malformed thread.
        parent = comment.parent if comment.parent is not None and comment.parent < comment.index else None
        replies.setdefault(parent, []).append(comment)
    return render("article.html", ui, request, a=found, replies=replies)


@router.get("/search", response_class=HTMLResponse)
def search_page(
    ctx: Context,
    ui: UI,
    request: Request,
    q: Annotated[str, Query(max_length=500)] = "",
    mode: Literal["text", "meaning"] = "text",
    language: Annotated[str | None, Query(max_length=16)] = None,
    page: Annotated[int, Query(ge=1, le=1_000)] = 1,
) -> HTMLResponse:
    hits: list[Any] = []
    total = 0
    note: Markup | None = None
    scored = False
    if q.strip():
        flt = ArticleFilter(language=language_code(language))
        store = ctx.pool.reader()
        offset = (page - 1) * PAGE_SIZE
        if mode == "meaning" and ctx.meaning is not None:
            found = ctx.meaning.search(store, q, flt=flt, limit=PAGE_SIZE, offset=offset)
            hits, total, scored = found.hits, found.total, True
            note = ui.t("meaning.note", ranked=found.ranked, cut=isolate(f"{found.cut:.2f}"))
            if found.embedded:
                note += " " + ui.t("meaning.embedded", n=found.embedded)
        else:
            if mode == "meaning":
                note = ui.t("meaning.off")
            result = search_text(store, q, flt=flt, limit=PAGE_SIZE, offset=offset)
            hits, total = list(result.hits), result.total
    return render(
        "search.html",
        ui,
        request,
        q=q,
        mode=mode,
        language=language or "",
        hits=hits,
        total=total,
        note=note,
        scored=scored,
        page=page,
        page_size=PAGE_SIZE,
    )
