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
from marsad.entities.aliases import person_key, same_person
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


MAX_ENTITY_KEYS = 50  # a name shared by more referents than this is cut to the most mentioned


def entity_keys(store: Store, query: str) -> list[str] | None:
    """The entity keys `query` names, or None when the store has no entity mentions table.

    `query` may be a key (per:FRKN), an entity's display name or any spelling found in an article
    (نادية الفرجاني, Nadia Ferjani); a person's name also finds the key its surname spells in either
    script when the first names agree (ناديه الفرجانى finds نادية الفرجاني), since person keys are
    shared by every spelling of one surname.
    """
    if not has_table(store, "mentions"):
        return None
    text = " ".join(query.split())[:200]
    if not text:
        return []
    rows = store.conn.execute(
        "SELECT key FROM mentions WHERE key = ? OR name = ? OR text = ? GROUP BY key"
        " ORDER BY count(*) DESC LIMIT ?",
        (text, text, text, MAX_ENTITY_KEYS),
    ).fetchall()
    keys = [str(r[0]) for r in rows]
    person = person_key(text)
    if person != f"per:{text}" and person not in keys and len(keys) < MAX_ENTITY_KEYS:
        spellings = store.conn.execute(
            "SELECT DISTINCT name FROM mentions WHERE key = ? UNION SELECT DISTINCT text FROM mentions"
            " WHERE key = ? AND rule != 'role' LIMIT 200",
            (person, person),
        ).fetchall()
        names = [str(r[0]) for r in spellings]
        full = [n for n in names if len(n.split()) > 1]
        # A full name must agree with the full names on record, not only with a bare surname:
        # Karim Ferjani is not Nadia Ferjani, though both are "Ferjani".
        if any(same_person(text, n) for n in (full if full and len(text.split()) > 1 else names)):
            keys.append(person)
    return keys


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
