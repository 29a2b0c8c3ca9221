"""Coverage pages. A story's: the countries and kinds of the registered outlets that covered it, the
outlets the registry does not know, and the silences (registered outlets that usually cover the
story's region or entities but did not cover it, each with its reasons); computed on request only,
over the store's history around the story, so the story page links here instead of computing it.
The outlet registry by country, and one outlet's coverage over time (articles and stories a day)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from marsad.api.context import ID_PATTERN, Context
from marsad.api.problems import not_found
from marsad.monitor.coverage import SilenceReason, outlet_timeline, story_coverage
from marsad.monitor.outlets import Outlet, default_registry
from marsad.store import stories as story_repo
from marsad.web.pages import UI, render

router = APIRouter(include_in_schema=False)


def outlet_name(outlet: Outlet, lang: str) -> str:
    """The outlet's name as the reader's interface names it (its Arabic name in Arabic, if known)."""
    return (outlet.name_ar or outlet.name) if lang == "ar" else outlet.name


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
        return outlet_name(outlet, ui.lang)

    countries = [
        (country, [(registry.outlets[i], name(registry.outlets[i]), found.outlets[i]) for i in ids])
        for country, ids in sorted(found.countries.items())
    ]
    kinds = [(kind, len(ids)) for kind, ids in sorted(found.kinds.items(), key=lambda kv: -len(kv[1]))]
    sep = "، " if ui.lang == "ar" else ", "

    def reason(r: SilenceReason) -> Markup:
        if r.basis == "region":
            peers = Markup("<bdi>{}</bdi>").format(
                sep.join(name(registry.outlets[p]) for p in r.peers if p in registry.outlets)
            )
            country = Markup('<bdi dir="ltr">{}</bdi>').format(r.country)
            return ui.tn("coverage.reason.region", r.total, covered=r.covered, peers=peers, country=country)
        entity = Markup("<bdi>{}</bdi>").format(r.about)
        return ui.tn("coverage.reason.entity", r.total, covered=r.covered, entity=entity)

    silences = [(name(s.outlet), s.outlet, [reason(r) for r in s.reasons]) for s in found.silences]
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


@router.get("/outlets", response_class=HTMLResponse)
def outlets_page(ui: UI, request: Request) -> HTMLResponse:
    """The outlet registry (shipped, plus $MARSAD_OUTLETS) by country."""
    by_country: dict[str, list[tuple[Outlet, str]]] = {}
    for outlet in default_registry().outlets.values():
        by_country.setdefault(outlet.country, []).append((outlet, outlet_name(outlet, ui.lang)))
    countries = [(c, sorted(found, key=lambda o: o[1])) for c, found in sorted(by_country.items())]
    return render("outlets.html", ui, request, countries=countries)


@router.get("/outlets/{outlet_id}", response_class=HTMLResponse)
def outlet_page(
    ctx: Context,
    ui: UI,
    request: Request,
    outlet_id: Annotated[str, Path(pattern=r"^[a-z0-9_]{1,64}$")],
    since: Annotated[str | None, Query(pattern=r"^(\d{4}-\d{2}-\d{2})?$")] = None,
) -> HTMLResponse:
    """One registered outlet and its coverage over time: per day, its articles and the stories they joined."""
    registry = default_registry()
    outlet = registry.outlets.get(outlet_id)
    if outlet is None:
        raise not_found("outlet", outlet_id)
    since = since or None  # the page's empty date field
    days = outlet_timeline(ctx.pool.reader(), registry, outlet_id, since=since)
    return render(
        "outlet.html",
        ui,
        request,
        outlet=outlet,
        label=outlet_name(outlet, ui.lang),
        days=list(reversed(days)),  # newest first
        most=max((d["articles"] for d in days), default=0),
        since=since,
    )
