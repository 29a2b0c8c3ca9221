"""What every request handler needs, built once per app: settings, store access and the services."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Query, Request

from marsad.api.access import StorePool
from marsad.api.comparison import ComparisonService
from marsad.api.ingesting import IngestService
from marsad.api.problems import BAD_REQUEST, Problem
from marsad.api.settings import ApiSettings
from marsad.embed.meaning import MeaningSearcher
from marsad.store.search import StoryFilter

ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
LANGUAGE_PATTERN = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})?$"


@dataclass(slots=True)
class AppContext:
    settings: ApiSettings
    pool: StorePool
    comparisons: ComparisonService
    meaning: MeaningSearcher | None
    ingest: IngestService


def get_context(request: Request) -> AppContext:
    ctx: AppContext = request.app.state.marsad
    return ctx


Context = Annotated[AppContext, Depends(get_context)]


def _instant(value: str | None, name: str) -> str | None:
    """An ISO date or datetime from the query string, normalized; raises Problem (422) otherwise."""
    if value is None or value == "":
        return None
    try:
        return datetime.fromisoformat(value).isoformat()
    except ValueError:
        raise Problem(
            422, BAD_REQUEST, f"'{name}' must be an ISO 8601 date such as 2016-05-24, got {value[:40]!r}"
        ) from None


def language_code(value: str | None) -> str | None:
    """A language code from the query string, lower-cased; empty means none (as HTML forms send it).
    Raises Problem (422) on anything that is not a language code."""
    if not value:
        return None
    if not re.fullmatch(LANGUAGE_PATTERN, value):
        raise Problem(422, BAD_REQUEST, f"'language' must be a code such as ar, en or fr, got {value[:20]!r}")
    return value.lower()


def story_filter(
    since: Annotated[
        str | None, Query(max_length=40, description="ISO date: stories active on or after it.")
    ] = None,
    until: Annotated[
        str | None, Query(max_length=40, description="ISO date: stories begun before it.")
    ] = None,
    language: Annotated[
        str | None, Query(max_length=16, description="Only stories with an article in it (ar, en, ...).")
    ] = None,
    outlet: Annotated[
        str | None, Query(max_length=200, description="Only stories this outlet reported.")
    ] = None,
    entity: Annotated[
        str | None, Query(max_length=200, description="Only stories naming this entity.")
    ] = None,
) -> StoryFilter:
    """The story list filters from the query string, validated."""
    return StoryFilter(
        since=_instant(since, "since"),
        until=_instant(until, "until"),
        language=language_code(language),
        outlet=outlet or None,
        entity=entity or None,
    )


Filters = Annotated[StoryFilter, Depends(story_filter)]
