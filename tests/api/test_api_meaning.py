"""Search by meaning over the embeddings the ingest cached: only the query is embedded per request."""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from marsad.api import ApiSettings
from marsad.app import create_app
from marsad.cluster.lexical import LexicalClusterer
from marsad.embed.base import UsemEmbedder, Vectors
from marsad.embed.meaning import MEANING_CUT
from marsad.ingest.files import record_document
from marsad.pipeline import ingest, restore_clusterer
from marsad.store import Store

pytestmark = pytest.mark.slow  # loads the sentence-embedding model

QUAKE_AR = "كم عدد ضحايا الزلزال الذي ضرب وادي الزهرة؟"


class CountingEmbedder:
    """The real embedder, counting the texts it is asked to embed."""

    def __init__(self, inner: UsemEmbedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.texts: list[str] = []

    def embed(self, texts: Sequence[str]) -> Vectors:
        self.texts.extend(texts)
        return self.inner.embed(texts)


@pytest.fixture(scope="module")
def usem() -> UsemEmbedder:
    return UsemEmbedder()


@pytest.fixture
def counting(usem: UsemEmbedder) -> CountingEmbedder:
    return CountingEmbedder(usem)


def meaning_client(db: Path, embedder: CountingEmbedder, **overrides: object) -> TestClient:
    settings = ApiSettings(db_path=db, meaning_search=True).with_(**overrides)
    return TestClient(create_app(settings, embedder_factory=lambda: embedder))


def story_of_title(db: Path, fragment: str) -> tuple[str, dict[str, str]]:
    """(story id, {article id: language}) of the story holding the article titled with `fragment`."""
    with Store(db) as store:
        story = store.conn.execute(
            "SELECT m.story_id FROM articles a JOIN story_members m ON m.article_id = a.id"
            " WHERE a.title LIKE ? LIMIT 1",
            (f"%{fragment}%",),
        ).fetchone()[0]
        members = store.conn.execute(
            "SELECT a.id, a.language FROM story_members m JOIN articles a ON a.id = m.article_id"
            " WHERE m.story_id = ?",
            (story,),
        ).fetchall()
    return story, {r[0]: r[1] for r in members}


def test_meaning_search_arabic_query_finds_other_languages_from_cache(
    pipeline_db: Path, counting: CountingEmbedder
) -> None:
    story, members = story_of_title(pipeline_db, "Wadi Zahra")
    assert {"ar", "en", "fr"} <= set(members.values())
    with meaning_client(pipeline_db, counting) as client:
        data = client.get("/api/search", params={"q": QUAKE_AR, "mode": "meaning", "limit": 12}).json()
    assert counting.texts == [QUAKE_AR]  # the articles' vectors all came from the store
    with Store(pipeline_db) as store:
        n_articles = store.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    # Only articles above the calibrated cut are results (bench/search_cut.py), never the whole store.
    assert 3 <= data["total"] < n_articles
    assert all(i["score"] >= MEANING_CUT for i in data["items"])
    assert "embeddings stored at ingest" in data["note"] and "embedded for this search" not in data["note"]
    top = data["items"]
    assert all(i["story_id"] == story for i in top[:3])
    found = {i["language"] for i in top if i["story_id"] == story}
    assert {"en", "fr"} <= found
    scores = [i["score"] for i in top]
    assert scores == sorted(scores, reverse=True)
    # Only the two earthquakes of the corpus rank above this one's French report.
    other_quake, _ = story_of_title(pipeline_db, "كفر سالم")
    french = next(n for n, h in enumerate(top) if h["story_id"] == story and h["language"] == "fr")
    assert {h["story_id"] for h in top[:french]} <= {story, other_quake}


@pytest.mark.parametrize(
    "query",
    ["وصفة كعكة الشوكولاتة بالفراولة", "best hiking boots for winter", "recette de la tarte aux pommes"],
)
def test_meaning_search_unrelated_query_finds_nothing(
    pipeline_db: Path, counting: CountingEmbedder, query: str
) -> None:
    with meaning_client(pipeline_db, counting) as client:
        data = client.get("/api/search", params={"q": query, "mode": "meaning"}).json()
    assert data["total"] == 0 and data["items"] == []


def test_meaning_search_filters_by_language(pipeline_db: Path, counting: CountingEmbedder) -> None:
    story, _ = story_of_title(pipeline_db, "Wadi Zahra")
    with meaning_client(pipeline_db, counting) as client:
        data = client.get("/api/search", params={"q": QUAKE_AR, "mode": "meaning", "language": "fr"}).json()
        again = client.get("/api/search", params={"q": QUAKE_AR, "mode": "meaning", "offset": 1}).json()
    assert data["items"] and all(i["language"] == "fr" for i in data["items"])
    assert data["items"][0]["story_id"] == story
    assert again["offset"] == 1
    assert counting.texts == [QUAKE_AR]  # the second page reused the query's vector


def _lexical_extra(db: Path) -> list[str]:
    """Three Arabic articles ingested with the lexical clusterer: no vectors in the cache."""
    now = datetime.now(UTC)
    records = [
        {
            "id": f"flood-{i}",
            "title": title,
            "text": text,
            "outlet": "نشرة الاختبار",
            "published": f"2026-03-0{i + 1}T09:00:00+00:00",
        }
        for i, (title, text) in enumerate(
            [
                (
                    "فيضانات تغمر قرى الساحل",
                    "غمرت مياه الفيضانات عشرات المنازل في قرى الساحل بعد أمطار غزيرة.",
                ),
                ("إجلاء السكان بعد السيول", "أجلت فرق الدفاع المدني مئات السكان بعد أن جرفت السيول الطرق."),
                ("معرض للكتاب في العاصمة", "افتتح معرض الكتاب أبوابه أمس بمشاركة مئتي دار نشر عربية."),
            ]
        )
    ]
    with Store(db) as store:
        clusterer = LexicalClusterer()
        restore_clusterer(store, clusterer)
        ingest(store, [record_document(r, f"test:{r['id']}", now) for r in records], clusterer)
        ids = [r[0] for r in store.conn.execute("SELECT id FROM articles WHERE external_id LIKE 'flood-%'")]
    return ids


@pytest.fixture
def mixed_db(pipeline_db: Path, tmp_path: Path) -> Iterator[tuple[Path, list[str]]]:
    db = tmp_path / "mixed.db"
    shutil.copy(pipeline_db, db)
    yield db, _lexical_extra(db)


def test_meaning_search_embeds_only_a_bounded_set_without_vectors(
    mixed_db: tuple[Path, list[str]], counting: CountingEmbedder
) -> None:
    db, lexical_ids = mixed_db
    with meaning_client(db, counting, meaning_candidates=2) as client:
        data = client.get(
            "/api/search", params={"q": "فيضانات وسيول تغمر القرى وإجلاء السكان", "mode": "meaning"}
        ).json()
    embedded_now = len(counting.texts) - 1
    assert counting.texts[0] == "فيضانات وسيول تغمر القرى وإجلاء السكان"
    # At most two articles (the candidate bound), each as its views (head + 1..3 chunks).
    assert 2 <= embedded_now <= 2 * 4
    assert "2 articles stored without embeddings" in data["note"]
    ids = [i["article_id"] for i in data["items"]]
    assert ids[0] in lexical_ids  # the flood articles, though not in the cache, are reached by words
    assert 1 <= data["total"] < 36 + 2  # above the cut, not every article


def test_meaning_search_finds_articles_ingested_while_serving(
    pipeline_db: Path, tmp_path: Path, counting: CountingEmbedder, api_token: str
) -> None:
    db = tmp_path / "live.db"
    shutil.copy(pipeline_db, db)
    doc = {
        "id": "live-1",
        "title": "انطلاق مهرجان الزيتون في سهل الريحان",
        "text": "انطلق أمس مهرجان الزيتون السنوي في سهل الريحان بمشاركة مئات المزارعين الذين عرضوا"
        " زيت الزيتون والصابون البلدي.\n\nوقال المنظمون إن المهرجان يستمر ثلاثة أيام.",
        "outlet": "نشرة الاختبار",
        "published": "2026-10-01T08:00:00+00:00",
    }
    query = "olive oil festival"
    with meaning_client(db, counting, api_token=api_token) as client:
        before = client.get("/api/search", params={"q": query, "mode": "meaning"}).json()
        res = client.post(
            "/api/ingest", json={"document": doc}, headers={"Authorization": f"Bearer {api_token}"}
        )
        assert res.status_code == 201, res.text
        new_id = res.json()["articles"][0]["article_id"]
        after = client.get("/api/search", params={"q": query, "mode": "meaning"}).json()
    assert after["total"] == before["total"] + 1
    assert after["items"][0]["article_id"] == new_id
    assert "embedded for this search" not in after["note"]  # its vectors came from the ingest's cache
    assert counting.texts == [query]


def test_served_meaning_search_shares_the_process_model(tmp_path: Path) -> None:
    """`marsad serve` holds one USE model: search by meaning embeds its queries with the model the
    ingest clusterer and the comparisons use (`shared_embedder`), not a second 90 MB copy."""
    from marsad.embed.base import shared_embedder

    app = create_app(ApiSettings(db_path=tmp_path / "one-model.db"))
    meaning = app.state.marsad.meaning
    assert meaning is not None
    assert meaning._model() is shared_embedder()
