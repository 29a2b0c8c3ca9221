"""Sentence splitting: Arabic punctuation, quotes, abbreviations, glued sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.text.sentences import split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وصل الوفد. وبدأت المحادثات؟ نعم!", ["وصل الوفد.", "وبدأت المحادثات؟", "نعم!"]),
        ("قال، ثم أضاف، ثم سكت.", ["قال، ثم أضاف، ثم سكت."]),  # the Arabic comma never splits
        (
            "قال الوزير: «سنواصل العمل. لن نتوقف». وأضاف أنه متفائل.",
            ["قال الوزير: «سنواصل العمل. لن نتوقف».", "وأضاف أنه متفائل."],
        ),
        ('He said "Go. Now." Then left.', ['He said "Go. Now."', "Then left."]),
        ("التقى د. محمد بالوفد الجمعة.وقال إنه سعيد.", ["التقى د. محمد بالوفد الجمعة.", "وقال إنه سعيد."]),
        ("Mr. Smith met U.S. officials. They agreed.", ["Mr. Smith met U.S. officials.", "They agreed."]),
        ("ارتفع بنسبة 3.5 في المئة. ثم تراجع.", ["ارتفع بنسبة 3.5 في المئة.", "ثم تراجع."]),
        ("هل هذا صحيح؟! لا أعتقد…", ["هل هذا صحيح؟!", "لا أعتقد…"]),
        ("أولا؛ ثانيا.", ["أولا؛ ثانيا."]),  # a short clause before ؛ does not split
        (
            "ارتفعت الأسعار في كل المدن الكبرى خلال الشهر الماضي بشكل كبير؛ "
            "وفي المقابل تراجعت الأجور الحقيقية لمعظم العاملين في القطاع العام.",
            [
                "ارتفعت الأسعار في كل المدن الكبرى خلال الشهر الماضي بشكل كبير؛",
                "وفي المقابل تراجعت الأجور الحقيقية لمعظم العاملين في القطاع العام.",
            ],
        ),
        ("سطر أول بلا نقطة\nسطر ثان", ["سطر أول بلا نقطة", "سطر ثان"]),
        ("", []),
    ],
)
def test_split_sentences_rules(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_split_sentences_seed_keeps_every_word(seeds_dir: Path) -> None:
    text = (seeds_dir / "000_f462c494be0ac3b8.txt").read_text("utf-8")
    sentences = split_sentences(text)
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(sentences) >= len(lines) + 8  # several lines hold two or more sentences
    assert "".join("".join(sentences).split()) == "".join(text.split())  # nothing lost or added
    # Quoted statements stay whole.
    assert all(s.count("“") <= s.count("”") for s in sentences)
