"""Entities and quotes of a story, read from the entities/quotes tables when the store has them.

Those tables come with migration 0004 (entities and quotes); on a store without them every function
here answers "nothing" rather than failing, so the API works on any schema version.
"""

from __future__ import annotations

import logging
import sqlite3

from marsad.api.schemas import EntityOut, QuoteOut
from marsad.store import Store
from marsad.store.search import has_table

log = logging.getLogger("marsad.api")


def entity_condition(store: Store) -> str | None:
    """A SQL condition on article alias `a` with one `?` (an entity name), or None without entities."""
    if not has_table(store, "mentions") or not has_table(store, "entities"):
        return None
    return (
        "EXISTS (SELECT 1 FROM mentions mm JOIN entities e ON e.id = mm.entity_id"
        " WHERE mm.article_id = a.id AND e.name = ?)"
    )


def story_entities(store: Store, story_id: str) -> list[EntityOut]:
    """The named entities mentioned in a story, most mentioned first (empty without entity tables)."""
    if entity_condition(store) is None:
        return []
    try:
        rows = store.conn.execute(
            "SELECT e.name, e.kind, count(*) AS n FROM story_members m"
            " JOIN mentions mm ON mm.article_id = m.article_id JOIN entities e ON e.id = mm.entity_id"
            " WHERE m.story_id = ? GROUP BY e.id ORDER BY n DESC, e.name LIMIT 50",
            (story_id,),
        ).fetchall()
    except sqlite3.OperationalError as exc:  # a schema this module does not know yet: show no entities
        log.warning("cannot read entities of %s: %s", story_id, exc)
        return []
    return [EntityOut(name=r["name"], kind=r["kind"], count=r["n"]) for r in rows]


def story_quotes(store: Store, story_id: str) -> list[QuoteOut]:
    """Quotes found in the story's articles (empty without a quotes table)."""
    if not has_table(store, "quotes"):
        return []
    try:
        rows = store.conn.execute(
            "SELECT q.article_id, q.speaker, q.text FROM story_members m"
            " JOIN quotes q ON q.article_id = m.article_id WHERE m.story_id = ? ORDER BY m.seq LIMIT 200",
            (story_id,),
        ).fetchall()
    except sqlite3.OperationalError as exc:
        log.warning("cannot read quotes of %s: %s", story_id, exc)
        return []
    return [QuoteOut(doc=r["article_id"], speaker=r["speaker"], text=r["text"]) for r in rows]
