"""The one normalization: every documented step, on real Arabic text."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from marsad.text.arabic import _TABLE, fold_letters, is_arabic_script, normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("الأُمَمُ المُتَّحِدَةُ", "الامم المتحده"),  # diacritics, shadda, taa marbuta
        ("كـــتاب", "كتاب"),  # tatweel
        ("أحمد إبراهيم آمال ٱلله", "احمد ابراهيم امال الله"),  # alef forms
        ("مستشفى", "مستشفي"),  # alef maqsura
        ("مسؤول رئيس بيئة", "مسوول رييس بييه"),  # hamza on waw / yeh
        ("٢٠١٦ ۲۰۱۶ 2016", "2016 2016 2016"),  # Arabic-Indic and Persian digits
        ("٣٫٥٪ و١٬٠٠٠", "3.5% و1,000"),
        ("«قال» “قال” „x‟ ❝y❞", '"قال" "قال" "x" "y"'),
        ("‘a’ ‹b› ❛c❜", "'a' 'b' 'c'"),
        ("أولاً، ثانياً؛ لماذا؟ انتهى۔", "اولا, ثانيا; لماذا? انتهي."),
        ("ﻻ ﷲ", "لا الله"),  # presentation forms via NFKC
        ("پ\u200fنج\u200c ک ی", "پنج ك ي"),  # bidi / zero-width removed, Farsi kaf and yeh folded
        ("a\u00a0\t\n  B…", "a b..."),  # whitespace runs, ellipsis, lower case
        ("Straße ÉTÉ Москва", "straße été москва"),  # other scripts: case only
        ("", ""),
        ("   ", ""),
    ],
)
def test_normalize_documented_steps(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_normalize_retyped_article_is_identical(seeds_dir: Path) -> None:
    text = (seeds_dir / "000_f462c494be0ac3b8.txt").read_text("utf-8")
    retyped = re.sub("[أإآ]", "ا", text).replace("ة ", "ه ").replace("“", "«").replace("”", "»")
    retyped = retyped.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert retyped != text
    assert normalize(retyped) == normalize(text)


def test_normalize_matches_the_reference_definition(seeds_dir: Path) -> None:
    # The numpy path must equal the plain definition: NFKC, table, lower, collapse spaces.
    for path in sorted(seeds_dir.glob("*.txt")):
        text = path.read_text("utf-8")
        reference = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text).translate(_TABLE).lower()).strip()
        assert normalize(text) == reference


def test_normalize_is_idempotent_and_survives_surrogates() -> None:
    text = "ٱلْعَرَبِيَّة  «نص» \ud800 😀"
    once = normalize(text)
    assert normalize(once) == once
    assert "😀" in once


def test_fold_letters_keeps_case_and_spacing() -> None:
    assert fold_letters("إنترفاكس  AFP\n") == "انترفاكس  AFP\n"


def test_is_arabic_script_threshold() -> None:
    assert is_arabic_script("قال Reuters إن")
    assert not is_arabic_script("Reuters said Cairo القاهرة today in a long English sentence")
    assert not is_arabic_script("123 !!")
