"""The sample corpus for the monitor tests: its outlets in a user registry file (never in the shipped
one) and a clusterer that puts each sample article in its gold event's story."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from marsad.cluster.base import Assignment, ClusterDoc
from marsad.cluster.lexical import LexicalClusterer
from marsad.ingest.files import record_document
from marsad.pipeline import default_steps, ingest, restore_clusterer
from marsad.store import Store

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "corpus"

# Outlets of the (fictional) sample corpus: three of Ramlan (XR), two of Sardan (XS). User-assigned
# ISO codes; these entries live here, never in the shipped registry.
SAMPLE_OUTLETS = """
[[outlet]]
id = "alsaha"
name = "Al-Saha News"
name_ar = "الساحة نيوز"
domains = ["alsaha-news.example"]
country = "XR"
languages = ["ar"]
kind = "private"

[[outlet]]
id = "nakheel"
name = "Al-Nakheel Network"
name_ar = "شبكة النخيل"
domains = ["nakheel-net.example"]
country = "XR"
languages = ["ar"]
kind = "private"

[[outlet]]
id = "coastline"
name = "Coastline Post"
domains = ["coastlinepost.example"]
country = "XR"
languages = ["en"]
kind = "private"

[[outlet]]
id = "meridian"
name = "Meridian Daily"
domains = ["meridiandaily.example"]
country = "XS"
languages = ["en"]
kind = "public"

[[outlet]]
id = "tidewater"
name = "The Tidewater Gazette"
domains = ["tidewatergazette.example"]
country = "XS"
languages = ["en"]
kind = "private"
"""

# The six events of samples/README.md, told apart by their place names: the stories are the gold
# ones, so these tests judge silences, not the clusterer.
EVENTS = {
    "quake": ("Wadi Zahra", "وادي الزهرة"),
    "kafr_salim": ("Kafr Salim", "كفر سالم"),
    "summit": ("Sanabel", "سنابل", "Sirin", "سيرين"),
    "rate": ("7.25", "7,25", "هشام السعدي", "Hisham al-Saadi"),
    "cup": ("Nawras", "النورس"),
    "strike": ("Marsa Noor", "مرسى نور"),
}


class GoldEvents:
    """A `StoryClusterer` that puts each sample article in its event's story."""

    def assign(self, doc: ClusterDoc) -> Assignment:
        text = f"{doc.title or ''} {doc.text}"
        hits = {e: sum(text.count(w) for w in words) for e, words in EVENTS.items()}
        event = max(hits, key=lambda e: hits[e])
        assert hits[event] > 0, doc.title
        return Assignment(doc.id, f"s{event}", 1.0, False)

    def restore(self, doc: ClusterDoc, story_id: str) -> None:
        pass


QUAY = (
    "The harbour authority said on Tuesday that the new container quay would open next month, after two"
    " years of building work.\n\nOfficials said ships waiting offshore would be served first."
)


def store_article(db: Path, ident: str, title: str, text: str = QUAY) -> None:
    """Store one English article of Coastline Post in `db` as `marsad ingest` would (lexical clusterer)."""
    fields = {
        "id": ident,
        "title": title,
        "text": f"{title}. {text}",
        "outlet": "Coastline Post",
        "language": "en",
    }
    with Store(db) as store:
        clusterer = LexicalClusterer()
        restore_clusterer(store, clusterer)
        ingest(
            store,
            [record_document(fields, f"test:{ident}", datetime.now(UTC))],
            clusterer,
            steps=default_steps(),
        )
