"""The persons a store accumulates from real news: no common word, tribe or lone first name among
the most frequent, and no key shared by two people of one family (issue 14)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from marsad.cluster.lexical import LexicalClusterer
from marsad.entities.aliases import family_key, person_key, same_person
from marsad.entities.lexicon import AR_FIRST_NAMES, AR_INSTITUTION_HEADS, AR_PLACE_HEADS, AR_STOP, AR_TRIBES
from marsad.entities.tagged import _heads
from marsad.ingest import open_sources
from marsad.pipeline import default_steps, ingest
from marsad.store import Store
from marsad.text.arabic import fold_letters

EVENTS = Path(__file__).resolve().parents[3] / "shared" / "data" / "saudinewsnet-events-dev" / "dev.jsonl"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("عادل الجبير", "عادل بن أحمد الجبير"),
        ("محمد بن نايف", "محمد بن نايف بن عبدالعزيز آل سعود"),
        ("سلمان بن عبد العزيز", "سلمان بن عبدالعزيز آل سعود"),
        ("Sergei Lavrov", "سيرغي لافروف"),
    ],
)
def test_person_key_one_person_one_key(a: str, b: str) -> None:
    assert person_key(a) == person_key(b)
    assert family_key(person_key(a)) == family_key(person_key("لافروف" if "Lavrov" in a else b))


@pytest.mark.parametrize(
    ("a", "b"),
    [("محمد العمري", "صالح العمري"), ("عوض بن أحمد العمري", "دي ماريا"), ("بشار الأسد", "حافظ الأسد")],
)
def test_person_key_two_people_two_keys(a: str, b: str) -> None:
    assert person_key(a) != person_key(b)
    assert not same_person(a, b)


@pytest.mark.slow
@pytest.mark.skipif(not EVENTS.exists(), reason=f"events-dev not found at {EVENTS}")
def test_store_top_persons_are_names_after_events_dev(tmp_path: Path) -> None:
    """Ingest the 310 events-dev articles as a user would (cross-document evidence included), then
    read the 30 most frequent person keys (`bench/entities.py store`)."""
    with Store(tmp_path / "ev.db") as store:
        sources = open_sources([str(EVENTS)], max_bytes=50_000_000)
        report = ingest(store, sources, LexicalClusterer(), steps=default_steps())
        assert report.added == 310
        top = store.conn.execute(
            "SELECT key, count(*) AS n FROM mentions WHERE kind = 'person'"
            " GROUP BY key ORDER BY n DESC LIMIT 30"
        ).fetchall()
        assert len(top) == 30
        for key, _n in top:
            texts = [
                str(r[0])
                for r in store.conn.execute(
                    "SELECT DISTINCT text FROM mentions WHERE key = ? AND rule != 'role'", (key,)
                )
            ]
            names = [
                str(r[0])
                for r in store.conn.execute("SELECT DISTINCT name FROM mentions WHERE key = ?", (key,))
            ]
            for text in texts + names:
                assert fold_letters(text).split()[0] not in AR_TRIBES, (key, text)  # بني حسن is a tribe
                # سوق عكاظ, قاعدة العند: a place or institution head opens no person's name
                heads = set(_heads(fold_letters(text).split()[0]))
                assert not heads & (AR_PLACE_HEADS | AR_INSTITUTION_HEADS), (key, text)
            for name in names:  # a lone first name or a function word identifies no one
                words = fold_letters(name).split()
                assert not (len(words) == 1 and words[0] in AR_FIRST_NAMES | AR_STOP), (key, name)
            full = [t for t in texts if len(t.split()) > 1]
            # Two spellings under one key are one person's (محمد العمري and صالح العمري are not).
            assert all(same_person(x, y) for x, y in itertools.combinations(full, 2)), (key, full)
        places = {
            fold_letters(str(r[0]))
            for r in store.conn.execute("SELECT DISTINCT text FROM mentions WHERE kind = 'place'")
        }
        assert not places & {fold_letters(w) for w in ("وأن", "أن", "ومن", "وهو", "منطقة")}
