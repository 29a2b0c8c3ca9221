"""Agency credits and citations in Arabic, English and French text."""

from __future__ import annotations

import pytest

from marsad.extract.agencies import find_agencies


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("بحسب ما نقلت عنه وكالة تاس الحكومية للأنباء.", ("TASS",)),
        ('وقال إبراهيم لوكالة "إنترفاكس" للأنباء', ("Interfax",)),
        ("وقال لانترفاكس إن", ("Interfax",)),
        ("(أ ف ب)", ("AFP",)),
        ("نقلت وكالة فرانس برس ووكالة رويترز", ("AFP", "Reuters")),
        ("المصدر: وكالات", ("Agencies",)),
        ("المصدر: شبكة النخيل + وكالات", ("Agencies",)),
        ("المصدر: الوكالات الرسمية", ()),  # "الوكالات" with the article is not the generic credit
        ("The minister told Reuters on Monday. (AFP)", ("Reuters", "AFP")),
        ("a déclaré le ministre à l'AFP", ("AFP",)),
        ("تأسيس شركة جديدة", ()),  # تاس must not match inside تأسيس
        ("وكالات السفر مغلقة", ()),  # "agencies" as an ordinary word is not a credit
    ],
)
def test_find_agencies_canonical_names(text: str, expected: tuple[str, ...]) -> None:
    assert find_agencies([text]) == expected
