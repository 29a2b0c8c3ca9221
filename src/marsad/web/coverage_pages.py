"""A story's coverage page: the countries and kinds of the registered outlets that covered it, the
outlets the registry does not know, and the silences (registered outlets that usually cover the
story's region or entities but did not cover it, each with its reasons). Computed on request only,
over the store's history around the story, so the story page links here instead of computing it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse

from marsad.api.context import ID_PATTERN, Context
from marsad.api.problems import not_found
from marsad.monitor.coverage import story_coverage
from marsad.monitor.outlets import Outlet, default_registry
from marsad.store import stories as story_repo
from marsad.web.pages import UI, render

router = APIRouter(include_in_schema=False)


@router.get("/stories/{story_id}/coverage", response_class=HTMLResponse)
def coverage_page(
    ctx: Context, ui: UI, request: Request, story_id: Annotated[str, Path(pattern=ID_PATTERN)]
) -> HTMLResponse:
    store = ctx.pool.reader()
    story = story_repo.get_story(store, story_id)
    registry = default_registry()
    found = story_coverage(store, story_id, registry) if story is not None else None
    if story is None or found is None:
        raise not_found("story", story_id)

    def name(outlet: Outlet) -> str:
        return (outlet.name_ar or outlet.name) if ui.lang == "ar" else outlet.name

    countries = [
        (country, [(name(registry.outlets[i]), found.outlets[i]) for i in ids])
        for country, ids in sorted(found.countries.items())
    ]
    kinds = [(kind, len(ids)) for kind, ids in sorted(found.kinds.items(), key=lambda kv: -len(kv[1]))]
    silences = [(name(s.outlet), s.outlet, s.reasons) for s in found.silences]
    return render(
        "coverage.html",
        ui,
        request,
        story=story,
        countries=countries,
        kinds=kinds,
        unknown=sorted(found.unknown.items()),
        silences=silences,
    )
