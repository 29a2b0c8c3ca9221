"""Quotes by speaker on the story page: one group per person, however each claim names them."""

from __future__ import annotations

from marsad.api.schemas import ArticleBrief, ComparisonOut
from marsad.web.matrix import claims_view


def _brief(doc: str) -> ArticleBrief:
    return ArticleBrief(
        id=doc, label=doc, title=None, outlet=doc, language="ar", published=None, url=None, agencies=[]
    )


def _quote_claim(cid: str, said: dict[str, tuple[str, str]]) -> dict[str, object]:
    """A quote claim: per outlet, (the speaker it names, its wording)."""
    return {
        "id": cid,
        "kind": "quote",
        "speaker": max((name for name, _ in said.values()), key=len),
        "outlets": list(said),
        "texts": {doc: text for doc, (_, text) in said.items()},
        "speakers": {doc: name for doc, (name, _) in said.items()},
    }


def test_speaker_groups_one_person_once_by_key_and_by_name() -> None:
    # c1's quote was keyed (per:LFRF); c2's quote lies across two sentences of its outlet, so the
    # claim knows its speaker by name only; c3 is another person
    comparison = ComparisonOut.model_validate(
        {
            "documents": ["a", "b"],
            "claims": [
                _quote_claim(
                    "c1",
                    {
                        "a": ("لافروف", "وقال لافروف “نحن مستعدون”."),
                        "b": ("سيرغي لافروف", "وقال سيرغي لافروف “إننا مستعدون”."),
                    },
                ),
                _quote_claim("c2", {"a": ("لافروف", "وتابع “لم نتوصل إلى اتفاق”.")}),
                _quote_claim("c3", {"b": ("إبراهيم إبراهيم", "وقال إبراهيم “بلا شك”.")}),
            ],
            "quotes": [
                {"doc": "a", "speaker": "لافروف", "text": "نحن مستعدون", "speaker_key": "per:LFRF"},
                {"doc": "b", "speaker": "سيرغي لافروف", "text": "إننا مستعدون", "speaker_key": "per:LFRF"},
                {"doc": "b", "speaker": "إبراهيم إبراهيم", "text": "بلا شك", "speaker_key": "per:BRHM"},
            ],
        }
    )
    view = claims_view(comparison, [_brief("a"), _brief("b")], ["ar"])
    groups = {g.speaker: [i.claim for i in g.items] for g in view.speakers}
    assert len(groups) == 2, groups
    lavrov = next(ids for name, ids in groups.items() if name and "لافروف" in name)
    assert sorted(lavrov) == ["c1", "c2"]
