"""The story keys read a bounded part of an article (`marsad.entities.ANALYSIS_CHARS`), the part
the entity step reads too."""

from __future__ import annotations

from dataclasses import replace

import pytest

from marsad.cluster import features
from marsad.cluster.base import ClusterDoc
from marsad.entities import ANALYSIS_CHARS, analysed_part
from marsad.entities.records import Mention
from marsad.records import Article

LEAD = "قال وزير الخارجية الروسي سيرغي لافروف في موسكو يوم الاثنين إن المحادثات ستستأنف. "
FILLER = "وأضاف المتحدث أن الاجتماع المقبل سيعقد في الأسبوع المقبل لبحث الملفات العالقة. "


def _article(body: str) -> Article:
    return Article(
        id="a",
        url=None,
        outlet=None,
        title="لافروف",
        body=body,
        paragraphs=(body,),
        published=None,
        language="ar",
    )


def test_with_entities_reads_the_analysed_part(monkeypatch: pytest.MonkeyPatch) -> None:
    article = _article(LEAD + FILLER * 4000)
    assert len(article.body) > 4 * ANALYSIS_CHARS
    doc = ClusterDoc(id="a", text=article.body, title=article.title, language="ar")
    seen: list[int] = []
    real = features.extract_entities

    def recording(a: Article) -> list[Mention]:
        seen.append(len(a.body))
        return real(a)

    monkeypatch.setattr(features, "extract_entities", recording)
    keyed = features.with_entities(doc, article)
    assert seen == [ANALYSIS_CHARS]
    assert keyed.entities and "per:LFRF" in keyed.entities
    assert keyed.entities == features.with_entities(doc, analysed_part(article)).entities


def test_analysed_part_keeps_short_articles_whole() -> None:
    article = _article(LEAD)
    assert analysed_part(article) is article
    long = replace(article, body=LEAD * 2000)
    assert analysed_part(long).body == long.body[:ANALYSIS_CHARS]
