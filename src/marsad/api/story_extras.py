"""Entities and quotes of a story, from the entities/quotes tables (migration 0004) when the store has them.

On a store without those tables (or a build without `marsad.store.entities`) every function here
answers "nothing" rather than failing, so the API serves any schema version.
"""

from __future__ import annotations

import importlib
import logging
import sqlite3
from types import ModuleType

from marsad.api.schemas import EntityOut, QuoteOut
from marsad.store import Store
from marsad.store.search import has_table

log = logging.getLogger("marsad.api")


def _entity_repo(store: Store) -> ModuleType | None:
    if not (has_table(store, "mentions") and has_table(store, "quotes")):
        return None
    try:
        return importlib.import_module("marsad.store.entities")
    except ImportError:
        return None


def entity_condition(store: Store) -> str | None:
    """A SQL condition on article alias `a` with one `?` (an entity's name, key or spelling), or
    None when the store has no entities."""
    if not has_table(store, "mentions"):
        return None
    return "EXISTS (SELECT 1 FROM mentions mm WHERE mm.article_id = a.id AND ? IN (mm.name, mm.key, mm.text))"


def story_entities(store: Store, story_id: str, *, limit: int = 40) -> list[EntityOut]:
    """The entities named in a story, most mentioned first (empty without entity tables)."""
    repo = _entity_repo(store)
    if repo is None:
        return []
    try:
        found = repo.story_entities(store, story_id)[:limit]
    except sqlite3.Error as exc:  # a schema this build does not know: show no entities, keep the page
        log.warning("cannot read entities of %s: %s", story_id, exc)
        return []
    return [EntityOut.model_validate(e.to_json()) for e in found]


def story_quotes(store: Store, story_id: str, *, limit: int = 200) -> list[QuoteOut]:
    """Quotes found in the story's articles, with their speakers (empty without a quotes table)."""
    repo = _entity_repo(store)
    if repo is None:
        return []
    try:
        found = repo.story_quotes(store, story_id)[:limit]
    except sqlite3.Error as exc:
        log.warning("cannot read quotes of %s: %s", story_id, exc)
        return []
    return [QuoteOut(doc=aid, speaker=q.speaker, text=q.text) for aid, q in found]
