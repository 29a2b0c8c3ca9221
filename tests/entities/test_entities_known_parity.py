"""The persons known from the store (`marsad.entities.step._known`) read through the `person_names`
table and a surname index give exactly what the former query over every stored mention gave: the
same names, roles and order (ties included), so the same mentions and quotes are stored (issue 13)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

import pytest

from marsad.cluster.lexical import LexicalClusterer
from marsad.entities import recognizer, step
from marsad.entities.aliases import same_person
from marsad.entities.ner import TaggedText
from marsad.entities.records import KnownPerson
from marsad.ingest import open_sources
from marsad.pipeline import default_steps, ingest
from marsad.store import Store

EVENTS = Path(__file__).resolve().parents[3] / "shared" / "data" / "saudinewsnet-events-dev" / "dev.jsonl"


def _former_found(conn: sqlite3.Connection, folded: str, limit: int) -> list[KnownPerson]:
    """The query `_known` ran before `person_names` (kept here as the reference)."""
    rows = conn.execute(
        "SELECT text, max(role) AS role FROM mentions WHERE kind = 'person'"
        " AND rule IN ('title', 'speech', 'crf') GROUP BY text ORDER BY count(*) DESC LIMIT ?",
        (limit,),
    ).fetchall()
    found = []
    for text, role in rows:
        words = step._folded_words(str(text))
        if words and words[-1] in folded:
            found.append(KnownPerson(name=str(text), role=role))
    return found


def _former_people(fields: list[recognizer._Field], known: Sequence[KnownPerson]) -> list[recognizer._Person]:
    """`RuleEntityRecognizer._people` before it skipped the persons sharing no key with a name."""
    people: list[recognizer._Person] = []

    def add(name: str, role: str | None, local: bool, probe: tuple[TaggedText, int] | None = None) -> None:
        full = len(name.split()) > 1
        for p in people:
            if any(same_person(name, other) for other in p.names) and not (
                full and any(len(o.split()) > 1 and not same_person(name, o) for o in p.names)
            ):
                break
        else:
            p = recognizer._Person()
            people.append(p)
        if name not in p.names:
            p.names.append(name)
        if role and role not in p.roles:
            p.roles.append(role)
        p.local = p.local or local
        if local:
            p.proposals += 1
            p.sure = p.sure or probe is None or p.proposals >= 2
            p.probe = None if p.sure else probe

    for f in fields:
        for h in f.hits:
            crf = f.tagged is not None and h.rule == "crf"
            probe = (f.tagged, f.tokens[h.first].start) if f.tagged is not None and crf else None
            add(f.text[recognizer._hit_start(f, h) : f.tokens[h.last].end], h.role, True, probe)
    for k in known:
        add(k.name, k.role, False)
    return people


def _tables(store: Store) -> tuple[list[tuple[object, ...]], ...]:
    return tuple(
        [tuple(r) for r in store.conn.execute(f"SELECT * FROM {table} ORDER BY article_id, idx")]
        for table in ("mentions", "quotes")
    )


def _ingest_events(store: Store) -> None:
    """The 310 events-dev articles through the real ingest, all added."""
    report = ingest(
        store,
        open_sources([str(EVENTS)], max_bytes=50_000_000),
        LexicalClusterer(),
        steps=default_steps(),
    )
    assert report.added == 310


@pytest.mark.slow
@pytest.mark.skipif(not EVENTS.exists(), reason=f"events-dev not found at {EVENTS}")
def test_known_persons_same_as_the_former_query_on_events_dev(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ingest the 310 events-dev articles with the former query and person grouping, then again with
    the index and the keyed grouping while checking every article's list against the former query
    (small limits too, where the cut bites): the stored mentions and quotes are identical."""
    new_found = step._found
    with Store(tmp_path / "former.db") as store:
        monkeypatch.setattr(step, "_found", _former_found)
        monkeypatch.setattr(recognizer.RuleEntityRecognizer, "_people", staticmethod(_former_people))
        _ingest_events(store)
        former = _tables(store)
    checked = 0

    def checked_found(conn: sqlite3.Connection, folded: str, limit: int) -> list[KnownPerson]:
        nonlocal checked
        for small in (1, 7, 60):
            assert new_found(conn, folded, small) == _former_found(conn, folded, small)
        got = new_found(conn, folded, limit)
        assert got == _former_found(conn, folded, limit)
        checked += bool(got)
        return got

    with Store(tmp_path / "new.db") as store:
        monkeypatch.undo()
        monkeypatch.setattr(step, "_found", checked_found)
        _ingest_events(store)
        assert _tables(store) == former
        assert checked > 250  # most articles name a person the store already knows
        names = store.conn.execute("SELECT count(*) FROM person_names").fetchone()[0]
        assert names > 600  # 695 distinct person spellings after the 310 articles


def test_person_names_follow_inserts_and_deletes(tmp_path: Path) -> None:
    """The counts and max role of `person_names` follow mentions added, replaced and cascaded away,
    and agree with a GROUP BY over the mentions; a migrated store is backfilled."""
    from marsad.entities.records import Mention
    from marsad.store.entities import put_analysis

    def grouped(conn: sqlite3.Connection) -> list[tuple[object, ...]]:
        return [
            tuple(r)
            for r in conn.execute(
                "SELECT text, count(*), max(role) FROM mentions WHERE kind = 'person'"
                " AND rule IN ('title', 'speech', 'crf') GROUP BY text ORDER BY text"
            )
        ]

    def table(conn: sqlite3.Connection) -> list[tuple[object, ...]]:
        return [tuple(r) for r in conn.execute("SELECT text, n, role FROM person_names ORDER BY text")]

    def m(text: str, rule: str = "title", role: str | None = None, kind: str = "person") -> Mention:
        return Mention(text, 0, len(text), kind, f"per:{text}", text, rule, "body", role)

    with Store(tmp_path / "p.db") as store:
        conn = store.conn
        conn.execute("PRAGMA foreign_keys=OFF")  # mentions of articles this test does not write
        put_analysis(
            conn, "a", [m("سيرغي لافروف"), m("لافروف", "speech", "وزير"), m("جدة", kind="place")], []
        )
        put_analysis(conn, "b", [m("سيرغي لافروف", "crf", "سفير"), m("لافروف", "alias"), m("لافروف")], [])
        put_analysis(conn, "c", [m("عادل الجبير", role="وزير")], [])
        assert (
            table(conn)
            == grouped(conn)
            == [
                ("سيرغي لافروف", 2, "سفير"),
                ("عادل الجبير", 1, "وزير"),
                ("لافروف", 2, "وزير"),
            ]
        )
        put_analysis(conn, "b", [m("لافروف")], [])  # replaced: the crf mention and its role go
        assert (
            table(conn)
            == grouped(conn)
            == [("سيرغي لافروف", 1, None), ("عادل الجبير", 1, "وزير"), ("لافروف", 2, "وزير")]
        )
        conn.execute("DELETE FROM mentions WHERE article_id = 'c'")
        assert table(conn) == grouped(conn) and len(table(conn)) == 2
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("UPDATE mentions SET text = 'x' WHERE article_id = 'a'")
        # A store migrated from before 0013 gets the counts of its stored mentions.
        conn.execute("DROP TABLE person_names")
        for trigger in ("person_names_add", "person_names_remove", "mentions_no_update"):
            conn.execute(f"DROP TRIGGER {trigger}")
        conn.execute("DROP INDEX mentions_person_text")
        conn.execute("DELETE FROM schema_migrations WHERE version = 13")
        put_analysis(conn, "d", [m("عادل الجبير", "speech")], [])
        conn.commit()
    with Store(tmp_path / "p.db") as store:
        assert table(store.conn) == grouped(store.conn) and len(table(store.conn)) == 3
