"""The API over a store built by the real `marsad ingest` pipeline: duplicate groups, entity filter,
split pairs and who reported first."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from marsad.api import ApiSettings
from marsad.api.comparison import find_compare_story
from marsad.api.first_report import basis_code, basis_words, first_report
from marsad.api.schemas import ComparisonOut, TimelineEntry
from marsad.app import create_app
from marsad.config import load_config
from marsad.ingest.files import record_document
from marsad.pipeline import default_clusterer, default_steps, ingest, restore_clusterer
from marsad.store import Store
from marsad.store.dedup import list_groups

needs_compare = pytest.mark.skipif(find_compare_story() is None, reason="marsad.compare is not installed")


@pytest.fixture(scope="module")
def client(pipeline_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(ApiSettings(db_path=pipeline_db, meaning_search=False))) as c:
        yield c


def stories_naming(client: TestClient, entity: str) -> set[str]:
    res = client.get("/api/stories", params={"entity": entity, "limit": 100})
    assert res.status_code == 200, res.text
    return {s["id"] for s in res.json()["items"]}


def test_article_detail_shows_its_duplicate_group(client: TestClient, pipeline_db: Path) -> None:
    with Store(pipeline_db) as store:
        groups = list_groups(store)
    exact = next(g for g in groups if any(m.kind == "exact" for m in g.members))
    copy = next(m for m in exact.members if m.article_id != exact.canonical_id)
    data = client.get(f"/api/articles/{copy.article_id}").json()
    dup = data["duplicates"]
    assert dup["id"] == exact.id and dup["canonical"] == exact.canonical_id and dup["kind"] == "exact"
    assert dup["size"] == len(exact.members)
    others = {m["id"]: m for m in dup["others"]}
    assert copy.article_id not in others and exact.canonical_id in others
    canonical = others[exact.canonical_id]
    assert canonical["kind"] == "exact" and canonical["href"] == f"/articles/{exact.canonical_id}"
    assert canonical["outlet"] and canonical["label"] == canonical["outlet"]
    # The canonical copy points back at this one.
    back = client.get(canonical["href"].replace("/articles/", "/api/articles/")).json()["duplicates"]
    assert copy.article_id in {m["id"] for m in back["others"]}


def test_article_detail_near_duplicates_and_singletons(client: TestClient, pipeline_db: Path) -> None:
    with Store(pipeline_db) as store:
        near = next(g for g in list_groups(store) if all(m.kind == "near" for m in g.members))
        alone = store.conn.execute(
            "SELECT m.article_id FROM dedup_members m JOIN dedup_groups g ON g.id = m.group_id"
            " WHERE g.size = 1"
        ).fetchone()[0]
    data = client.get(f"/api/articles/{near.members[0].article_id}").json()
    assert data["duplicates"]["kind"] == "near"
    assert [m["kind"] for m in data["duplicates"]["others"]] == ["near"] * (len(near.members) - 1)
    assert client.get(f"/api/articles/{alone}").json()["duplicates"] is None


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [("نادية الفرجاني", "Nadia Ferjani"), ("هدى سلامة", "Huda Salameh")],
)
def test_stories_entity_filter_arabic_name_and_latin_alias_agree(
    client: TestClient, pipeline_db: Path, arabic: str, latin: str
) -> None:
    from_arabic = stories_naming(client, arabic)
    assert from_arabic, f"{arabic} is named in the sample corpus"
    assert stories_naming(client, latin) == from_arabic
    everything = client.get("/api/stories").json()["total"]
    assert len(from_arabic) < everything
    with Store(pipeline_db) as store:
        named = {
            r[0]
            for r in store.conn.execute(
                "SELECT m.story_id FROM mentions mm JOIN story_members m ON m.article_id = mm.article_id"
                " WHERE mm.text IN (?, ?)",
                (arabic, latin),
            )
        }
    assert named <= from_arabic


def test_stories_entity_filter_spelling_variants_and_keys(client: TestClient) -> None:
    wanted = stories_naming(client, "نادية الفرجاني")
    assert stories_naming(client, "ناديه الفرجانى") == wanted  # taa marbuta and alef maqsura variants
    assert stories_naming(client, "per:FRKN.ND") == wanted
    assert stories_naming(client, "Reuters") and len(stories_naming(client, "Reuters")) >= 2
    assert stories_naming(client, "لا أحد بهذا الاسم") == set()
    # Another person sharing only the surname's letters is not the same person.
    assert stories_naming(client, "Karim Ferjani") == set()


def test_stories_entity_filter_combines_with_other_filters(client: TestClient) -> None:
    both = client.get("/api/stories", params={"entity": "Reuters", "language": "fr"}).json()
    reuters = stories_naming(client, "Reuters")
    assert {s["id"] for s in both["items"]} <= reuters
    assert all("fr" in s["languages"] for s in both["items"])


@needs_compare
def test_story_detail_keeps_split_pairs_and_states_the_basis(
    client: TestClient, pipeline_db: Path, story_with: Callable[[Path, str], str]
) -> None:
    story = story_with(pipeline_db, "Wadi Zahra survivors")
    data = client.get(f"/api/stories/{story}").json()
    # A split: one sentence of a source paired with two of another within one claim (group).
    halves: dict[tuple[int, str, int, str], int] = {}
    for p in data["comparison"]["pairs"]:
        if p["kind"] == "sentence":
            for key in (
                (p["group"], p["a"]["doc"], p["a"]["index"], p["b"]["doc"]),
                (p["group"], p["b"]["doc"], p["b"]["index"], p["a"]["doc"]),
            ):
                halves[key] = halves.get(key, 0) + 1
    assert any(n == 2 for n in halves.values()), "the survivors' quote is split in one source"
    assert data["first_reported"] in {a["id"] for a in data["articles"]}
    assert data["first_reported_basis"] == "published"
    assert data["first_reported_note"].startswith("by stated publication time")


def test_first_report_basis_codes_and_words() -> None:
    assert basis_code("published (undated documents not compared)") == "published"
    assert basis_code("agency credit") == basis_code("agency") == "agency"
    assert basis_code("fetched") == "fetched"
    assert basis_code("unknown") is None and basis_code(None) is None
    assert basis_words("fetched").startswith("by fetch time")
    cmp = ComparisonOut(first_reported="x", first_reported_basis="agency credit")
    found = first_report([], cmp)
    assert (found.article_id, found.basis) == ("x", "agency") and "agency credit" in found.note
    unknown = first_report([], ComparisonOut(first_reported=None, first_reported_basis="unknown"))
    assert unknown.article_id is None and "cannot be told" in unknown.note


def test_first_report_without_comparison_uses_fetch_times_only_when_all_fetched() -> None:
    def entry(aid: str, at: str, basis: str) -> TimelineEntry:
        return TimelineEntry(article_id=aid, label=aid, title=None, at=at, basis=basis)  # type: ignore[arg-type]

    fetched = [entry("b", "2026-05-02T09:30:00", "fetched"), entry("a", "2026-05-02T08:00:00", "fetched")]
    got = first_report(fetched, None)
    assert (got.article_id, got.basis) == ("a", "fetched")
    mixed = [*fetched, entry("c", "2026-05-03T08:00:00", "published")]
    assert first_report(mixed, None).article_id == "c"
    tie = [entry("a", "2026-05-02T08:00:00", "fetched"), entry("b", "2026-05-02T08:00:00", "fetched")]
    assert first_report(tie, None).article_id is None


FEED_ITEMS = [
    (
        "2026-05-02T09:30:00+00:00",
        {
            "id": "feed-late",
            "title": "حريق يلتهم مستودعا للأخشاب في ميناء مرسى نور",
            "text": "التهم حريق كبير مستودعا للأخشاب في ميناء مرسى نور، وقال الدفاع المدني إن فرق الإطفاء"
            " سيطرت على النيران بعد ثلاث ساعات ولم تسجل إصابات.\n\nوأضاف أن أسباب الحريق قيد التحقيق.",
            "outlet": "صوت المرسى",
        },
    ),
    (
        "2026-05-02T08:00:00+00:00",
        {
            "id": "feed-early",
            "title": "Fire destroys timber warehouse at Marsa Noor port",
            "text": "A large fire destroyed a timber warehouse at Marsa Noor port. Civil defence said"
            " firefighters brought the blaze under control after three hours and no one was hurt.\n\n"
            "The cause of the fire is under investigation, it added.",
            "outlet": "Coastline Post",
        },
    ),
]


@needs_compare
def test_story_first_reported_by_fetch_time(tmp_path: Path) -> None:
    """Two feed items without publication times, fetched 90 minutes apart: the earlier fetch is
    named first, and the API says it is by fetch time."""
    db = tmp_path / "feeds.db"
    cfg = load_config()
    with Store(db) as store:
        clusterer = default_clusterer(store.conn, cfg)
        restore_clusterer(store, clusterer)
        raws = [
            record_document(rec, f"feed:{rec['id']}", datetime.fromisoformat(at)) for at, rec in FEED_ITEMS
        ]
        ingest(store, raws, clusterer, steps=default_steps(cfg))
        stories = {r[0] for r in store.conn.execute("SELECT story_id FROM story_members")}
        early = store.conn.execute("SELECT id FROM articles WHERE external_id = 'feed-early'").fetchone()[0]
    assert len(stories) == 1, "the Arabic and English reports of the fire are one story"
    with TestClient(create_app(ApiSettings(db_path=db, meaning_search=False))) as c:
        story = stories.pop()
        data = c.get(f"/api/stories/{story}").json()
        html = c.get(f"/stories/{story}").text
    assert data["first_reported"] == early
    assert data["first_reported_basis"] == "fetched"
    assert data["first_reported_note"].startswith("by fetch time")
    assert 'data-basis="fetched"' in html and "by fetch time: no source states when it was published" in html
    assert [t["basis"] for t in data["timeline"]] == ["fetched", "fetched"]
    assert datetime.fromisoformat(data["timeline"][0]["at"]) == datetime(2026, 5, 2, 8, 0, tzinfo=UTC)
