"""Near-synonyms of Arabic news wording: word families two outlets use for one thing.

Two Arabic outlets paraphrase a wire with a handful of interchangeable words: التقارير / الأنباء /
الأخبار (the reports), تدرس / تبحث / تناقش (are studying), وزارتا الدفاع / العسكريون (the military),
بدأت / بدء / الشروع (began). Light stems cannot join them and the sentence embedding weighs them
little; each family here becomes one lexical feature (`~news`, `~study`...) beside the stems, so
such a paraphrase shares words again. Only families of general news vocabulary belong here (no
names, no story's words); each word is listed as written and matched by its light stem.
"""

from __future__ import annotations

from collections.abc import Callable

_FAMILIES: dict[str, tuple[str, ...]] = {
    "news": ("تقرير", "تقارير", "التقارير", "أنباء", "الأنباء", "نبأ", "أخبار", "الأخبار", "خبر", "الخبر"),
    "real": ("واقع", "الواقع", "واقعي", "واقعية", "حقيقة", "الحقيقة", "حقيقي", "حقيقية"),
    "start": ("بدأ", "بدأت", "بدء", "بداية", "يبدأ", "تبدأ", "الشروع", "شروع", "انطلاق", "انطلقت"),
    "study": ("تدرس", "تدرسان", "يدرس", "يدرسون", "دراسة", "يبحث", "يبحثون", "تبحث", "يبحثان",
              "يناقش", "يناقشون", "تناقش", "مناقشة"),
    "military": ("الدفاع", "دفاع", "عسكري", "عسكريون", "عسكريين", "العسكريين", "عسكريي", "الجيش", "جيش",
                 "الجيشين", "جيشينا", "العسكرية"),
    "operation": ("عملية", "عمليات", "العمليات", "العملية", "تحرك", "تحركات", "التحركات", "تحركاتهما"),
    "confirm": ("أكد", "تأكيد", "يؤكد", "أؤكد", "التأكد"),
    "agree": ("اتفق", "اتفقتا", "اتفقا", "اتفاق", "الاتفاق", "توافق", "توافقا"),
    "kill": ("قتل", "قتيل", "قتيلا", "قتلى", "مقتل", "حتفهم", "وفاة", "وفيات", "توفي"),
    "injure": ("جرح", "جريح", "جريحا", "جرحى", "إصابة", "إصابات", "أصيب", "مصاب", "مصابين"),
    "rise": ("ارتفع", "ارتفعت", "ارتفاع", "زيادة", "زاد", "رفع", "رفعت"),
}  # fmt: skip


def family_table(stem: Callable[[str], str], normalize: Callable[[str], str]) -> dict[str, str]:
    """Light stem -> family tag, stemming the listed words with the caller's `stem` and `normalize`
    (so the table matches the features it is added to); a stem in two families keeps the first."""
    out: dict[str, str] = {}
    for tag, words in _FAMILIES.items():
        for w in words:
            out.setdefault(stem(normalize(w)), f"~{tag}")
    return out
