"""Entity mentions and quotes per article, and the cached comparison of each story."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from marsad.entities.aliases import person_key, same_person
from marsad.entities.recognizer import group_mentions
from marsad.entities.records import Entity, KnownPerson, Mention
from marsad.quotes.records import Quote
from marsad.store.db import Store, utcnow


def put_analysis(
    conn: sqlite3.Connection, article_id: str, mentions: Sequence[Mention], quotes: Sequence[Quote]
) -> None:
    """Replace the stored mentions and quotes of `article_id`."""
    conn.execute("DELETE FROM mentions WHERE article_id = ?", (article_id,))
    conn.execute("DELETE FROM quotes WHERE article_id = ?", (article_id,))
    conn.executemany(
        "INSERT INTO mentions (article_id, idx, field, start_pos, end_pos, text, kind, key, name, rule, role)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (article_id, i, m.field, m.start, m.end, m.text, m.kind, m.key, m.name, m.rule, m.role)
            for i, m in enumerate(mentions)
        ],
    )
    conn.executemany(
        "INSERT INTO quotes (article_id, idx, field, start_pos, end_pos, text, speaker, speaker_key, verb,"
        " continuation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                article_id,
                i,
                q.field,
                q.start,
                q.end,
                q.text,
                q.speaker,
                q.speaker_key,
                q.verb,
                int(q.continuation),
            )
            for i, q in enumerate(quotes)
        ],
    )


def person_names_since(conn: sqlite3.Connection, seq: int) -> list[tuple[int, str]]:
    """(seq, spelling) of the person names added to `person_names` after `seq`, in seq order."""
    rows = conn.execute("SELECT seq, text FROM person_names WHERE seq > ? ORDER BY seq", (seq,)).fetchall()
    return [(int(r[0]), str(r[1])) for r in rows]


def person_name_at(conn: sqlite3.Connection, seq: int) -> str | None:
    row = conn.execute("SELECT text FROM person_names WHERE seq = ?", (seq,)).fetchone()
    return None if row is None else str(row[0])


def ranked_person_names(
    conn: sqlite3.Connection, texts: Iterable[str], limit: int
) -> list[tuple[str, str | None]]:
    """(spelling, max role) of those of `texts` that are among the `limit` most named persons of the
    store, most named first, ties by spelling (the order of the `person_names_rank` index)."""
    wanted = sorted(set(texts))
    if not wanted:
        return []
    cut = conn.execute(
        "SELECT n, text FROM person_names ORDER BY n DESC, text LIMIT 1 OFFSET ?", (limit - 1,)
    ).fetchone()
    rows: list[tuple[int, str, str | None]] = []
    for i in range(0, len(wanted), 500):
        part = wanted[i : i + 500]
        rows += conn.execute(
            f"SELECT n, text, role FROM person_names WHERE text IN ({','.join('?' * len(part))})", part
        ).fetchall()
    ranked = sorted(((-int(n), str(t), r) for n, t, r in rows), key=lambda x: (x[0], x[1]))
    if cut is not None:
        ranked = [x for x in ranked if (x[0], x[1]) <= (-int(cut[0]), str(cut[1]))]
    return [(t, r) for _, t, r in ranked]


def get_mentions(store: Store, article_id: str) -> list[Mention]:
    rows = store.conn.execute(
        "SELECT * FROM mentions WHERE article_id = ? ORDER BY idx", (article_id,)
    ).fetchall()
    return [
        Mention(
            text=r["text"],
            start=r["start_pos"],
            end=r["end_pos"],
            kind=r["kind"],
            key=r["key"],
            name=r["name"],
            rule=r["rule"],
            field=r["field"],
            role=r["role"],
        )
        for r in rows
    ]


def get_quotes(store: Store, article_id: str) -> list[Quote]:
    rows = store.conn.execute(
        "SELECT * FROM quotes WHERE article_id = ? ORDER BY idx", (article_id,)
    ).fetchall()
    return [
        Quote(
            text=r["text"],
            start=r["start_pos"],
            end=r["end_pos"],
            speaker=r["speaker"],
            speaker_key=r["speaker_key"],
            verb=r["verb"],
            continuation=bool(r["continuation"]),
            field=r["field"],
        )
        for r in rows
    ]


def _members(store: Store, story_id: str) -> list[str]:
    rows = store.conn.execute(
        "SELECT article_id FROM story_members WHERE story_id = ? ORDER BY seq", (story_id,)
    ).fetchall()
    return [str(r[0]) for r in rows]


def story_entities(store: Store, story_id: str) -> list[Entity]:
    """The entities of a story's stored mentions, merged by key, most mentioned first."""
    mentions = [m for aid in _members(store, story_id) for m in get_mentions(store, aid)]
    return group_mentions(mentions)


def story_quotes(store: Store, story_id: str) -> list[tuple[str, Quote]]:
    """(article id, quote) for every stored quote of the story, in member order."""
    return [(aid, q) for aid in _members(store, story_id) for q in get_quotes(store, aid)]


MAX_NAMED_KEYS = 50  # a name shared by more referents than this is cut to the most mentioned


def keys_named(conn: sqlite3.Connection, query: str) -> list[str] | None:
    """The entity keys `query` names in the stored mentions, most mentioned first; None when the store
    has no mentions table.

    `query` may be a key (per:FRKN), an entity's display name or any spelling found in an article
    (نادية الفرجاني, Nadia Ferjani); a person's name also finds the key its surname spells in either
    script when the first names agree (ناديه الفرجانى finds نادية الفرجاني), since person keys are
    shared by every spelling of one surname. Not to be confused with `marsad.entities.entity_keys`,
    which reads the keys an article's own title and text name.
    """
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'mentions'").fetchone() is None:
        return None
    text = " ".join(query.split())[:200]
    if not text:
        return []
    rows = conn.execute(
        "SELECT key FROM mentions WHERE key = ? OR name = ? OR text = ? GROUP BY key"
        " ORDER BY count(*) DESC LIMIT ?",
        (text, text, text, MAX_NAMED_KEYS),
    ).fetchall()
    keys = [str(r[0]) for r in rows]
    person = person_key(text)
    if person != f"per:{text}" and person not in keys and len(keys) < MAX_NAMED_KEYS:
        spellings = conn.execute(
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


def known_persons_like(store: Store, folded_text: str, *, limit: int = 5000) -> list[KnownPerson]:
    """Persons named in stored articles (by title or speech rule) whose last word occurs in `folded_text`.

    Cross-document evidence for a new article: a name found with a title elsewhere is a name here.
    """
    rows = store.conn.execute(
        "SELECT text, max(role) AS role FROM mentions WHERE kind = 'person' AND rule IN ('title', 'speech')"
        " GROUP BY text ORDER BY count(*) DESC LIMIT ?",
        (limit,),
    ).fetchall()
    from marsad.text.arabic import fold_letters

    out = []
    for r in rows:
        last = fold_letters(str(r["text"])).split()[-1:] if r["text"] else []
        if last and last[0] in folded_text:
            out.append(KnownPerson(name=str(r["text"]), role=r["role"]))
    return out


def fetched_times(store: Store, article_ids: Sequence[str]) -> dict[str, datetime]:
    """When the document of each of `article_ids` was fetched (feed documents; files have none)."""
    out: dict[str, datetime] = {}
    for aid in article_ids:
        row = store.conn.execute("SELECT fetched_at FROM documents WHERE id = ?", (aid,)).fetchone()
        if row is not None and row["fetched_at"]:
            try:
                out[aid] = datetime.fromisoformat(row["fetched_at"])
            except ValueError:
                continue  # a malformed stored time is no evidence
    return out


def ingested_times(store: Store, article_ids: Sequence[str]) -> dict[str, str]:
    """When each of `article_ids` was stored (ISO 8601, UTC): what "new since your last visit" means."""
    out: dict[str, str] = {}
    for aid in article_ids:
        row = store.conn.execute("SELECT ingested_at FROM documents WHERE id = ?", (aid,)).fetchone()
        if row is not None:
            out[aid] = str(row["ingested_at"])
    return out


def get_comparison(store: Store, story_id: str, fingerprint: str) -> dict[str, Any] | None:
    """The cached comparison JSON of `story_id` if it was made with the same members and settings."""
    row = store.conn.execute(
        "SELECT json FROM story_comparisons WHERE story_id = ? AND fingerprint = ?", (story_id, fingerprint)
    ).fetchone()
    return json.loads(row["json"]) if row else None


def put_comparison(conn: sqlite3.Connection, story_id: str, fingerprint: str, value: dict[str, Any]) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO story_comparisons (story_id, fingerprint, json, created_at)"
        " VALUES (?, ?, ?, ?)",
        (story_id, fingerprint, json.dumps(value, ensure_ascii=False), utcnow()),
    )
