"""MemoryDedupIndex: exact, near and contained groups on real Arabic articles; incremental adds."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.dedup import CONTAINED, EXACT, NEAR, UNIQUE, MemoryDedupIndex


@pytest.fixture
def articles(seeds_dir: Path) -> tuple[str, str]:
    """Two real articles on the same event by different outlets (not copies of each other)."""
    a = (seeds_dir / "000_f462c494be0ac3b8.txt").read_text("utf-8")
    b = (seeds_dir / "003_78029ccb64208adf.txt").read_text("utf-8")
    return a, b


def _paras(text: str) -> list[str]:
    return [p for p in text.split("\n") if p.strip()]


def test_index_groups_each_kind_and_never_the_same_topic_article(articles: tuple[str, str]) -> None:
    a, b = articles
    pa = _paras(a)[:12]  # the article body, without its comment section
    body = "\n".join(pa)
    retyped = (
        body.replace("أ", "ا")
        .replace("“", "«")
        .replace("”", "»")
        .translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    )
    docs = [
        body,  # 0 original
        b,  # 1 same story, another outlet's article
        retyped,  # 2 exact after normalization
        "\n".join(pa[:-3]),  # 3 trimmed tail
        "\n".join(pa[:3]),  # 4 a short wire copy: the first three paragraphs
    ]
    index = MemoryDedupIndex()
    results = index.add(docs)
    assert [r.kind for r in results] == [UNIQUE, UNIQUE, EXACT, NEAR, CONTAINED]
    assert {index.canonical(i) for i in (0, 2, 3, 4)} == {0}
    assert index.canonical(1) == 1 and index.kind(1) == UNIQUE
    assert index.kind(0) == EXACT  # its strongest link in the group
    assert index.groups() == {0: [0, 2, 3, 4]}


def test_index_incremental_batches_match_one_batch(articles: tuple[str, str]) -> None:
    a, b = articles
    pa = _paras(a)
    docs = [a, b, "\n".join(pa[1:]), "\n".join(pa[:-2]), b + "\nفقرة مضافة في آخر الخبر عن تطورات لاحقة"]
    whole = MemoryDedupIndex()
    whole.add(docs)
    step = MemoryDedupIndex()
    for doc in docs:
        step.add([doc])
    assert [whole.canonical(i) for i in range(5)] == [step.canonical(i) for i in range(5)] == [0, 1, 0, 0, 1]


def test_index_canonical_is_earliest_published_not_first_arrival(articles: tuple[str, str]) -> None:
    a, _ = articles
    index = MemoryDedupIndex()
    index.add([a, a + "\nسطر"], published=["2016-05-25T10:00:00+00:00", "2016-05-24T08:00:00+00:00"])
    index.add([a], published=[None])
    assert {index.canonical(i) for i in range(3)} == {1}


def test_index_roundup_does_not_merge_two_briefs(articles: tuple[str, str]) -> None:
    a, b = articles
    brief_a = "\n".join(_paras(a)[1:5])
    brief_b = "\n".join(_paras(b)[:4])
    index = MemoryDedupIndex()
    index.add([brief_a, brief_b, "مقدمة الجولة الإخبارية\n" + brief_a + "\n" + brief_b])
    assert index.canonical(0) != index.canonical(1)
    assert index.canonical(2) in (0, 1)


def test_index_roundup_and_wire_copy_do_not_chain_two_briefs(articles: tuple[str, str]) -> None:
    """Issue 16: the roundup joins brief B's group; a wire copy of brief A is inside the roundup too,
    but its containment link must not merge A's family with B's (their canonicals are unrelated)."""
    a, b = articles
    pa = _paras(a)
    brief_a, brief_b = "\n".join(pa[1:5]), "\n".join(_paras(b)[:4])
    roundup = "مقدمة الجولة الإخبارية\n" + brief_a + "\n" + brief_b
    index = MemoryDedupIndex()
    index.add([brief_a, brief_b, roundup, "\n".join(pa[:12]), "\n".join(pa[2:4])])
    assert index.groups() == {0: [0, 3, 4], 1: [1, 2]}


def test_index_uses_the_loader_to_verify_containment(articles: tuple[str, str]) -> None:
    a, _ = articles
    from marsad.text.arabic import normalize

    short = "\n".join(_paras(a)[2:6])
    texts = {0: normalize(a)}
    index = MemoryDedupIndex(loader=texts.get)
    index.add([a])
    (result,) = index.add([short])
    assert result.kind == CONTAINED and result.matched == 0 and result.score >= 0.8


def test_index_empty_body_is_unique() -> None:
    index = MemoryDedupIndex()
    results = index.add(["", "", "!!!"])
    assert [r.kind for r in results] == [UNIQUE] * 3
    assert index.groups() == {}
