"""Storylines in the online clusterer: a new story links to the earlier story of its developing story."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from marsad.cluster.base import ClusterDoc
from marsad.cluster.model import load_model
from marsad.cluster.online import ClustererSettings, EmbeddingClusterer
from marsad.embed import UsemEmbedder

T0 = datetime(2026, 3, 14, 8, tzinfo=UTC)
ATTACK = ClusterDoc(
    "attack-1",
    "أضرم مستوطنون النار فجر اليوم في منزل عائلة بقرية وادي الزهرة جنوب نابلس، ما أدى إلى مقتل الرضيع "
    "سامر الحلبي حرقا وإصابة والديه بجروح خطيرة، بحسب مصادر طبية فلسطينية.",
    title="مقتل رضيع فلسطيني حرقا في هجوم لمستوطنين على قرية وادي الزهرة",
    published=T0,
)
ATTACK_COPY = ClusterDoc(
    "attack-2",
    "لقي الرضيع الفلسطيني سامر الحلبي حتفه حرقا بعدما أشعل مستوطنون النار في منزل أسرته في قرية وادي "
    "الزهرة قرب نابلس فجر اليوم، وأصيب والداه بحروق بالغة.",
    title="مستوطنون يحرقون منزلا في وادي الزهرة ويقتلون رضيعا",
    published=T0 + timedelta(hours=2),
)
CONDEMNATION = ClusterDoc(
    "condemn-1",
    "دانت وزارة الخارجية الأردنية بأشد العبارات جريمة إحراق الرضيع الفلسطيني سامر الحلبي في قرية وادي "
    "الزهرة على أيدي مستوطنين، وطالبت المجتمع الدولي بمحاسبة الجناة.",
    title="الأردن يدين جريمة إحراق الرضيع سامر الحلبي في وادي الزهرة",
    published=T0 + timedelta(days=1),
)
RATE = ClusterDoc(
    "rate-1",
    "رفع البنك المركزي في رملان سعر الفائدة الرئيسي نصف نقطة إلى 7.25 في المئة يوم الأربعاء لكبح التضخم.",
    title="المركزي الرملاني يرفع الفائدة إلى 7.25 في المئة",
    published=T0 + timedelta(days=1, hours=3),
)
DOCS = [ATTACK, ATTACK_COPY, CONDEMNATION, RATE]


@pytest.fixture(scope="module")
def embedder() -> UsemEmbedder:
    return UsemEmbedder()  # one thread (marsad.embed)


def test_new_story_continues_the_storyline_it_links_to(embedder: UsemEmbedder) -> None:
    # The condemnation is another event (another actor's act) of the attack's storyline. Its link
    # score here is ~0.14 (the unrelated rate decision's ~1e-4): the threshold is set below it to check
    # the mechanism; the calibrated one is measured on the Arabic dev split (test_cluster_quality_floor).
    clusterer = EmbeddingClusterer(embedder, ClustererSettings(storyline_threshold=0.1))
    got = {d.id: clusterer.assign(d) for d in DOCS}
    assert got["attack-1"].storyline_id == "lattack-1"  # derived from the first story's id
    assert got["attack-2"].story_id == "sattack-1" and got["attack-2"].storyline_id == "lattack-1"
    assert got["condemn-1"].new_story and got["condemn-1"].story_id == "scondemn-1"
    assert got["condemn-1"].storyline_id == "lattack-1"
    assert got["rate-1"].storyline_id == "lrate-1"  # nothing links it: its own storyline
    assert clusterer.storyline_of("scondemn-1") == "lattack-1"


def test_storylines_off_or_strict_threshold_keeps_each_story_alone(embedder: UsemEmbedder) -> None:
    for settings in (
        ClustererSettings(storyline_threshold=0.1, storylines=False),
        ClustererSettings(storyline_threshold=0.99),
    ):
        clusterer = EmbeddingClusterer(embedder, settings)
        got = [clusterer.assign(d) for d in DOCS]
        assert [a.storyline_id for a in got] == ["lattack-1", "lattack-1", "lcondemn-1", "lrate-1"]


def test_restore_keeps_the_stored_storyline(embedder: UsemEmbedder) -> None:
    restored = EmbeddingClusterer(embedder, ClustererSettings(storyline_threshold=0.99))
    restored.restore(ATTACK, "sattack-1", "lolder")
    restored.restore(CONDEMNATION, "scondemn-1", None)
    assert restored.storyline_of("sattack-1") == "lolder"
    assert restored.storyline_of("scondemn-1") == "lcondemn-1"
    late = restored.assign(ATTACK_COPY)
    assert late.story_id == "sattack-1" and late.storyline_id == "lolder"


def test_storyline_settings_and_shipped_head() -> None:
    with pytest.raises(ValueError, match="storyline_threshold"):
        ClustererSettings(storyline_threshold=1.5)
    model = load_model()
    assert model.storyline is not None and 0.0 < model.storyline_threshold < 1.0
