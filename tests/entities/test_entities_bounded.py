"""Work per document stays proportional to the text: a hostile text naming the same people and
roles again and again must not cost refs x mentions (role resolution) or quotes x spellings (a
quote speaker's fullest name). Counted in calls, not timed."""

from __future__ import annotations

import sys
from collections.abc import Callable

import pytest

import marsad.entities.recognizer as recognizer
from marsad.entities import extract_entities
from marsad.quotes import extract_quotes
from marsad.records import Article

PARAGRAPH = (
    "وقال وزير الخارجية عادل الجبير إن المملكة تدعم الحل السياسي. وأضاف الوزير أن الرياض "
    "ستواصل جهودها. وقال الأمير خالد الفيصل أمير منطقة مكة المكرمة: «سنعمل على راحة الحجاج». "
    "وأكد الأمير أن الخطة جاهزة.\n\n"
)


def _article(times: int) -> Article:
    body = PARAGRAPH * times
    return Article(
        id=f"hostile-{times}", url=None, outlet=None, title="اجتماع", body=body,
        paragraphs=tuple(p for p in body.split("\n\n") if p), published=None, language="ar",
    )  # fmt: skip


def _calls(
    monkeypatch: pytest.MonkeyPatch, module: object, name: str, run: Callable[[int], object]
) -> list[int]:
    """How many times `module.name` is called by `run(20)` and by `run(80)`."""
    calls = {"n": 0}
    real = getattr(module, name)

    def counted(*args: object) -> object:
        calls["n"] += 1
        return real(*args)

    monkeypatch.setattr(module, name, counted)
    out = []
    for times in (20, 80):
        calls["n"] = 0
        run(times)
        out.append(calls["n"])
    return out


def test_role_resolution_scores_each_person_once_per_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    roles = [m for m in extract_entities(_article(2)) if m.rule == "role"]
    assert roles, "the role references (الوزير, الأمير) resolve to the named persons"
    small, large = _calls(monkeypatch, recognizer, "_role_score", lambda n: extract_entities(_article(n)))
    assert small > 0
    # Linear in the text: 4x the text costs about 4x, not 16x (scoring every earlier mention did).
    assert large <= 5 * small


def _work(run: Callable[[], object]) -> int:
    """Calls made by `run()`, builtins included (`sys.setprofile` sees C calls too)."""
    count = 0

    def profile(frame: object, event: str, arg: object) -> None:
        nonlocal count
        count += 1

    sys.setprofile(profile)
    try:
        run()
    finally:
        sys.setprofile(None)
    return count


def test_fullest_speaker_name_reads_only_names_ending_alike() -> None:
    quotes = extract_quotes(_article(3))
    assert any(q.speaker and "الفيصل" in q.speaker for q in quotes)
    # 16x the text: about 21x the calls; reading every spelling of a name for every quote made it
    # 37x.
    small, large = (_work(lambda n=n: extract_quotes(_article(n))) for n in (10, 160))
    assert large <= 1.6 * 16 * small
