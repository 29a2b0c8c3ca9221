"""GET /api/storylines and /api/storylines/{id}: storylines with their stories on a timeline."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from marsad.store import Store
from marsad.store import storylines as storyline_repo


def test_storylines_list_and_detail(samples_db: Path, make_client: Callable[..., TestClient]) -> None:
    with Store(samples_db) as store:
        stories = [r[0] for r in store.conn.execute("SELECT id FROM stories ORDER BY id LIMIT 2")]
        assert len(stories) == 2
        # ingest gave every story a storyline; link the second story's into the first's, as the
        # clusterer does for a later event of a developing story
        first = storyline_repo.storyline_of(store, stories[0])
        assert first is not None
        store.conn.execute(
            "UPDATE story_storylines SET storyline_id = ? WHERE story_id = ?", (first, stories[1])
        )
        store.conn.commit()
    with make_client(samples_db) as client:
        listed = client.get("/api/storylines")
        assert listed.status_code == 200, listed.text
        items = listed.json()["items"]
        assert [i["id"] for i in items] == [first]  # storylines of 2+ stories by default
        assert {s["id"] for s in items[0]["stories"]} == set(stories)
        assert items[0]["size"] == sum(s["size"] for s in items[0]["stories"])
        everyone = client.get("/api/storylines", params={"min_stories": 1, "limit": 100}).json()["items"]
        assert len(everyone) > 1
        one = client.get(f"/api/storylines/{first}")
        assert one.status_code == 200 and one.json()["id"] == first
        missing = client.get("/api/storylines/lnope")
        assert missing.status_code == 404
        assert missing.headers["content-type"].startswith("application/problem+json")
