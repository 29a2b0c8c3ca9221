"""Language identification (model inside py3langid) and light stemming."""

from __future__ import annotations

import pytest

from marsad.text.language import detect_language
from marsad.text.stem import ARABIC_STEMMER, arabic_stemmers, light10, stem, stem_tokens
from marsad.text.tokens import content_words, tokenize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قال وزير الخارجية الروسي يوم الأربعاء إن موسكو ترحب بالحوار مع جيرانها", "ar"),
        ("وزیر امور خارجه روسیه گفت که مسکو آماده همکاری با گروه های کرد است", "fa"),
        ("پاکستان کے وزیر اعظم نے کہا ہے کہ ملک میں انتخابات ہوں گے", "ur"),
        ("The foreign minister said on Tuesday that Moscow was ready to coordinate", "en"),
        ("Le ministre a déclaré mardi que Moscou était prêt à coordonner", "fr"),
        ("Der Außenminister sagte am Dienstag, Moskau sei zur Koordinierung bereit", "de"),
        ("ok 12", None),
    ],
)
def test_detect_language_scripts_and_short_text(text: str, expected: str | None) -> None:
    assert detect_language(text) == expected


def test_stem_conflates_arabic_inflections() -> None:
    forms = tokenize("المفاوضات مفاوضات للمفاوضات بالمفاوضات والمفاوضات")
    assert len(set(stem_tokens(forms))) == 1
    assert stem("الحكومه") == stem("للحكومه") == stem("بالحكومه") != stem("الكتاب")


def test_stem_other_languages_use_snowball_or_pass_through() -> None:
    assert stem("running", "en") == "run"
    assert stem("gouvernements", "fr") == "gouvern"
    assert stem("running", None) == "running"
    assert stem("running", "xx") == "running"
    assert stem("") == ""


def test_stem_chosen_stemmer_is_registered() -> None:
    assert ARABIC_STEMMER in arabic_stemmers()
    assert light10("والمعلمون") == "معلم"


def test_tokenize_and_content_words_on_normalized_arabic() -> None:
    assert tokenize("قال «الرئيس» إن النمو بلغ ٣٫٥٪ في 2016") == [
        "قال",
        "الرييس",
        "ان",
        "النمو",
        "بلغ",
        "3.5",
        "في",
        "2016",
    ]
    assert "في" not in content_words("قال الرئيس في القاهرة")
