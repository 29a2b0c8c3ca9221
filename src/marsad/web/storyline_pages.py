"""Storyline pages: the stories of one developing event, linked over days, on a timeline; and the
list of storylines of two stories or more. A story page links to its storyline when it has one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from marsad.api.context import ID_PATTERN, Context
from marsad.api.problems import not_found
from marsad.store import storylines as storyline_repo
from marsad.web.pages import PAGE_SIZE, UI, render

router = APIRouter(include_in_schema=False)


@router.get("/storylines", response_class=HTMLResponse)
def storylines_page(
    ctx: Context, ui: UI, request: Request, page: Annotated[int, Query(ge=1, le=10_000)] = 1
) -> HTMLResponse:
    """Storylines of two stories or more, those of most stories first, then the newest."""
    found = storyline_repo.list_storylines(
        ctx.pool.reader(), limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE, min_stories=2
    )
    return render(
        "storylines.html", ui, request, lines=found[:PAGE_SIZE], page=page, more=len(found) > PAGE_SIZE
    )


@router.get("/storylines/{storyline_id}", response_class=HTMLResponse)
def storyline_page(
    ctx: Context,
    ui: UI,
    request: Request,
    storyline_id: Annotated[str, Path(pattern=ID_PATTERN)],
    story: Annotated[
        str | None, Query(pattern=ID_PATTERN, description="The story the reader came from.")
    ] = None,
) -> HTMLResponse:
    found = storyline_repo.get_storyline(ctx.pool.reader(), storyline_id)
    if found is None:
        raise not_found("storyline", storyline_id)
    return render("storyline.html", ui, request, line=found, current=story)
