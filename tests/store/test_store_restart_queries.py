"""What a restarted writer reads (migration 0014): by index, in time that does not follow the store's
size, and the stored assignment count its snapshot check reads, kept by triggers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from marsad.records import RawDocument
from marsad.store import Store
from marsad.store import articles as article_repo
from marsad.store import stories as story_repo
from marsad.store.snapshots import arrivals_upto

QUERIES = [
    (f"SELECT {story_repo.CLUSTER_DOC_COLUMNS} WHERE a.id IN (?, ?)", ("a", "b")),
    (f"SELECT {story_repo.CLUSTER_DOC_COLUMNS} WHERE m.seq > ? ORDER BY m.seq", (5,)),
    ("SELECT story_id FROM story_members WHERE seq > ?", (5,)),
    ("SELECT 1 FROM story_members WHERE story_id = ? AND seq <= ? LIMIT 1", ("s", 5)),
    ("SELECT coalesce(max(seq), 0) FROM story_members WHERE seq <= ?", (5,)),
    ("SELECT count(*) FROM story_members WHERE seq > ?", (5,)),
]


@pytest.mark.parametrize(("sql", "args"), QUERIES)
def test_restart_queries_search_an_index(store: Store, sql: str, args: tuple[object, ...]) -> None:
    plan = [row[3] for row in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}", args)]
    assert plan and all(step.startswith("SEARCH") for step in plan), plan


def test_assignment_count_follows_inserts_and_cascaded_deletes(store: Store) -> None:
    from marsad.extract import extract

    with store.transaction() as conn:
        for i in range(5):
            raw = RawDocument(
                id=f"{i:064x}",
                source=f"t{i}",
                hint="text",
                content=f"عنوان الخبر رقم {i}\n\nهذه فقرة من الخبر رقم {i} عن حدث في مدينة ما.".encode(),
            )
            article = extract(raw)
            article_repo.put_document(conn, raw)
            article_repo.put_article(conn, article)
            story_repo.assign(
                conn,
                article.id,
                f"s{i % 2}",
                score=1.0,
                title="t",
                published=datetime(2026, 1, 1, tzinfo=UTC),
            )
    assert arrivals_upto(store) == (5, 5)
    assert arrivals_upto(store, 3) == (3, 3)
    with store.transaction() as conn:
        conn.execute("DELETE FROM documents WHERE id = ?", (f"{1:064x}",))  # cascades to its assignment
    assert arrivals_upto(store) == (5, 4)
    assert arrivals_upto(store, 3) == (3, 2)
