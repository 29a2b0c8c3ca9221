"""Event-level evidence: look-alike template items of different happenings stay apart, wire copies
stay together."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from marsad.cluster.base import ClusterDoc
from marsad.cluster.evidence import (
    EventEvidence,
    event_evidence,
    found_in,
    lead_numbers,
    plain_number,
    text_day,
)
from marsad.cluster.features import DocSignals, evidence_features
from marsad.cluster.online import EmbeddingClusterer
from marsad.embed import UsemEmbedder
from marsad.embed.views import DocVectors

# Riyadh evening publication times, two consecutive trading days (fictional closes written here).
DAY1 = datetime(2026, 5, 3, 19, 30, tzinfo=UTC)
DAY2 = DAY1 + timedelta(days=1)


def _close(doc_id: str, when: datetime, points: str, level: str, pct: str, value: str) -> ClusterDoc:
    return ClusterDoc(
        doc_id,
        f"أنهى مؤشر السوق المالية السعودية تعاملات اليوم مرتفعا {points} نقطة بنسبة {pct}% ليغلق عند "
        f"مستوى {level} نقطة، بتداولات بلغت قيمتها {value} مليار ريال. وارتفعت أسهم معظم الشركات "
        "المتداولة، وتصدر قطاع المصارف قائمة القطاعات الأكثر ارتفاعا، تلاه قطاع البتروكيماويات.",
        title=f"مؤشر الأسهم السعودية يغلق مرتفعا {points} نقطة",
        language="ar",
        published=when,
        outlet="wire",
    )


@pytest.fixture(scope="module")
def embedder() -> UsemEmbedder:
    return UsemEmbedder()


def test_market_closes_of_two_days_with_different_points_are_two_stories(embedder: UsemEmbedder) -> None:
    clusterer = EmbeddingClusterer(embedder)
    first = clusterer.assign(_close("close-1", DAY1, "135", "8912.40", "1.54", "5.2"))
    second = clusterer.assign(_close("close-2", DAY2, "44", "8956.71", "0.49", "4.1"))
    assert second.new_story and second.story_id != first.story_id


def test_near_duplicate_wire_copies_share_a_story(embedder: UsemEmbedder) -> None:
    clusterer = EmbeddingClusterer(embedder)
    original = _close("copy-1", DAY1, "135", "8912.40", "1.54", "5.2")
    retitled = ClusterDoc(
        "copy-2",
        original.text + " وقال محللون إن السوق قد تواصل الصعود.",
        title="الأسهم السعودية تربح 135 نقطة",
        language="ar",
        published=DAY1 + timedelta(minutes=40),
        outlet="another-paper",
    )
    a = clusterer.assign(original)
    b = clusterer.assign(retitled)
    assert not b.new_story and b.story_id == a.story_id


def test_the_day_a_text_is_about_resolves_against_publication() -> None:
    pub = datetime(2015, 8, 2, 23, 0)  # a Sunday
    assert str(text_day("وقع الرئيس في مكتبه بجدة أمس عقدا", pub)) == "2015-08-01"
    assert str(text_day("هبطت الطائرة يوم أمس الأول", pub)) == "2015-07-31"
    assert str(text_day("تقام المباراة يوم الخميس", pub)) == "2015-07-30"
    assert str(text_day("يصل الوفد الأحد المقبل", pub)) == "2015-08-09"
    assert str(text_day("صدر القرار في 31 يوليو الماضي", pub)) == "2015-07-31"
    assert str(text_day("The minister said on Monday", pub)) == "2015-07-27"
    assert text_day("عين اليوم – الرياض", pub) is None  # an outlet's name is no date


def test_lead_numbers_leave_years_out_and_keep_decimals() -> None:
    numbers = lead_numbers("المؤشر يتراجع 291.03 نقطة", "في عام 2015 (1436 هـ) بنسبة 3.20% و 5 مليارات")
    assert numbers == frozenset({"291.03", "3.20"})


def test_lead_numbers_leave_clock_times_out() -> None:
    # the hour a quake struck is when, not what: an outlet that does not give it reports no other quake
    numbers = lead_numbers("زلزال بقوة 6.1 درجات", "عند الساعة 3:42 فجرا، و15:30 عصرا، 27 قتيلا")
    assert numbers == frozenset({"6.1", "27"})


def _with_lead_entities(doc_id: str, lead: frozenset[str], everything: frozenset[str]) -> DocSignals:
    vectors = DocVectors(np.zeros(2, np.float32), np.zeros(2, np.float32), np.zeros((1, 2), np.float32))
    evidence = EventEvidence(None, frozenset(), lead)
    return DocSignals(
        doc_id, vectors, frozenset(), frozenset(), frozenset(), "ar", None, None, everything, evidence
    )


def test_lead_entity_miss_is_the_smaller_way() -> None:
    # the survivors' page names a survivor its peers never name, and names their town and actors too
    report = _with_lead_entities(
        "r", frozenset({"place:TOWN", "org:CD"}), frozenset({"place:TOWN", "org:CD"})
    )
    angle = _with_lead_entities(
        "a", frozenset({"per:SURVIVOR"}), frozenset({"per:SURVIVOR", "place:TOWN", "org:CD"})
    )
    assert evidence_features(report, angle)[2] == 0.0
    # two receptions of two guests: each lead names someone the other never does
    other = _with_lead_entities(
        "o", frozenset({"per:GUEST2", "place:TOWN"}), frozenset({"per:GUEST2", "place:TOWN"})
    )
    guest = _with_lead_entities(
        "g", frozenset({"per:GUEST1", "place:TOWN"}), frozenset({"per:GUEST1", "place:TOWN"})
    )
    assert evidence_features(guest, other)[2] == 0.5


@pytest.mark.parametrize(
    ("written", "read"),
    [("6,1", "6.1"), ("35,7", "35.7"), ("2,000", "2000"), ("1,250,000", "1250000"), ("1,250.5", "1250.5"),
     ("8807.24", "8807.24"), ("214", "214")],
)  # fmt: skip
def test_plain_number_reads_a_decimal_comma_and_thousands(written: str, read: str) -> None:
    assert plain_number(written) == read


def test_french_decimal_comma_is_the_same_magnitude_as_the_arabic_point() -> None:
    fr = event_evidence("Séisme de magnitude 6,1 à Wadi Zahra", "27 morts et 214 blessés.", None, "fr")
    assert "6.1" in fr.numbers and "61" not in fr.numbers
    assert found_in("6.1", fr.number_forms)


def test_event_evidence_is_empty_without_a_date() -> None:
    ev = event_evidence("عنوان", "نص بلا تاريخ", None, "ar")
    assert ev.day is None


def test_one_recognizer_pass_gives_the_document_and_lead_entities(monkeypatch: pytest.MonkeyPatch) -> None:
    import marsad.cluster.evidence as evidence
    import marsad.cluster.features as features
    from marsad.embed.views import DocVectors
    from marsad.entities import entity_keys

    lead = "استقبل وزير الخارجية السعودي عادل الجبير في الرياض اليوم نظيره الروسي سيرغي لافروف. "
    filler = "وجرى خلال اللقاء استعراض العلاقات الثنائية وسبل تعزيزها في مختلف المجالات. " * 4
    later = "وبحث الجانبان الأوضاع في سوريا واليمن. "
    doc = ClusterDoc("d", lead + filler + later * 3, title="الجبير يستقبل لافروف", language="ar")
    assert len(lead + filler) > evidence.LEAD_CHARS
    expected_lead = entity_keys(doc.title, doc.text[: evidence.LEAD_CHARS], "ar")
    expected_all = entity_keys(doc.title, doc.text, "ar")
    calls: list[str] = []
    real = features.extract_entities
    monkeypatch.setattr(features, "extract_entities", lambda a: calls.append("pass") or real(a))
    monkeypatch.setattr(evidence, "entity_keys", lambda *a: calls.append("lead pass") or frozenset())
    zero = np.zeros(512, dtype=np.float32)
    sig = features.doc_signals(doc, DocVectors(head=zero, body=zero, chunks=zero[None, :]))
    assert calls == ["pass"]  # the lead's entities come from the same pass
    assert sig.entities == expected_all
    assert sig.evidence.entities == expected_lead and {"country:SY", "country:YE"} <= expected_all
    assert not {"country:SY", "country:YE"} & sig.evidence.entities  # Syria and Yemen: past the lead
