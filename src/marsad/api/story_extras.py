"""Entities and quotes of a story, from the entities/quotes tables (migration 0004) when the store has them.

On a store without those tables every function here answers "nothing" rather than failing, so the API
serves any schema version. Which entity keys a name stands for is `marsad.store.entities.keys_named`.
"""

from __future__ import annotations

import logging
import sqlite3

from marsad.api.schemas import EntityOut, QuoteOut
from marsad.store import Store
from marsad.store import entities as entity_repo
from marsad.store.search import has_table

log = logging.getLogger("marsad.api")


def _has_entity_tables(store: Store) -> bool:
    return has_table(store, "mentions") and has_table(store, "quotes")


def story_entities(store: Store, story_id: str, *, limit: int = 40) -> list[EntityOut]:
    """The entities named in a story, most mentioned first (empty without entity tables)."""
    if not _has_entity_tables(store):
        return []
    try:
        found = entity_repo.story_entities(store, story_id)[:limit]
    except sqlite3.Error as exc:  # a schema this build does not know: show no entities, keep the page
        log.warning("cannot read entities of %s: %s", story_id, exc)
        return []
    return [EntityOut.model_validate(e.to_json()) for e in found]


def story_quotes(store: Store, story_id: str, *, limit: int = 200) -> list[QuoteOut]:
    """Quotes found in the story's articles, with their speakers (empty without a quotes table)."""
    if not _has_entity_tables(store):
        return []
    try:
        found = entity_repo.story_quotes(store, story_id)[:limit]
    except sqlite3.Error as exc:
        log.warning("cannot read quotes of %s: %s", story_id, exc)
        return []
    return [QuoteOut(doc=aid, speaker=q.speaker, text=q.text) for aid, q in found]
