"""News agencies credited or cited in a text, with canonical names.

Matching runs on letter-folded text (see `marsad.text.arabic.fold_letters`) so that إنترفاكس and
انترفاكس, or وكالة and وكاله, are the same. Arabic aliases may carry a one-letter clitic (و ب ل ف ك)
or "لل"; Latin aliases are case-sensitive where the short form is also an ordinary word (AP, EFE).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from marsad.text.arabic import fold_letters

# canonical name -> aliases. Arabic aliases are written folded (ا not أ/إ, ه not ة, ي not ى).
AGENCY_ALIASES: dict[str, tuple[str, ...]] = {
    "AFP": (
        "AFP",
        "Agence France-Presse",
        "Agence France Presse",
        "ا ف ب",
        "فرانس برس",
        "فرانس بريس",
        "وكاله الصحافه الفرنسيه",
    ),
    "Reuters": ("Reuters", "رويترز"),
    "AP": ("Associated Press", "(AP)", "اسوشيتد برس", "اسوشيتدبرس", "اسوشييتد برس"),
    "TASS": ("TASS", "ITAR-TASS", "تاس", "ايتار تاس"),
    "Interfax": ("Interfax", "انترفاكس"),
    "RIA Novosti": ("RIA Novosti", "ريا نوفوستي", "نوفوستي"),
    "Sputnik": ("Sputnik", "سبوتنيك"),
    "SANA": ("SANA", "سانا"),
    "Anadolu": ("Anadolu", "الاناضول"),
    "Xinhua": ("Xinhua", "شينخوا", "شينخوا"),
    "DPA": ("dpa", "DPA", "د ب ا"),
    "EFE": ("EFE", "افي"),
    "ANSA": ("ANSA",),
    "UPI": ("UPI", "يونايتد برس"),
    "Bloomberg": ("Bloomberg", "بلومبرغ", "بلومبيرغ"),
    "MENA": ("MENA", "ا ش ا", "وكاله انباء الشرق الاوسط"),
    "WAM": ("WAM", "وام"),
    "SPA": ("Saudi Press Agency", "واس"),
    "QNA": ("QNA", "قنا"),
    "KUNA": ("KUNA", "كونا"),
    "Petra": ("Petra", "بترا"),
    "IRNA": ("IRNA", "ارنا"),
    "Fars": ("Fars News", "وكاله فارس"),
    "Yonhap": ("Yonhap", "يونهاب"),
    "Kyodo": ("Kyodo", "كيودو"),
    "Agencies": ("وكالات",),
}

_ARABIC = re.compile(r"[\u0600-\u06ff]")


def _pattern(alias: str) -> str:
    escaped = re.escape(alias).replace(r"\ ", r"\s+")
    if _ARABIC.search(alias):
        # A clitic may stick to the front; nothing Arabic may follow (تاس must not match تاسيس).
        return rf"(?<![\w\u0600-\u06ff])(?:[وبلفك]|لل|ول|وب)?{escaped}(?![\w\u0600-\u06ff])"
    return rf"(?<![\w]){escaped}(?![\w])" if alias[-1].isalnum() else rf"(?<![\w]){escaped}"


_COMPILED: list[tuple[str, re.Pattern[str]]] = [
    (name, re.compile("|".join(_pattern(a) for a in aliases))) for name, aliases in AGENCY_ALIASES.items()
]

# Every alias as a plain substring: a text without one cannot name an agency, so the guarded
# per-agency patterns run only on the few texts (paragraphs) that have one.
_ANY_ALIAS = re.compile(
    "|".join(
        re.escape(a).replace(r"\ ", r"\s+")
        for a in sorted({a for aliases in AGENCY_ALIASES.values() for a in aliases}, key=len, reverse=True)
    )
)

# "وكالات" (agencies, unnamed) counts only as a credit: in a source line or in parentheses.
_GENERIC_CREDIT = re.compile(
    r"(?:المصدر|المصادر|نقلا عن)\s*[:：]?[^\n]{0,60}?(?<![\u0600-\u06ff])وكالات(?![\u0600-\u06ff])"
    r"|\(\s*وكالات\s*\)"
)


def find_agencies(texts: Iterable[str]) -> tuple[str, ...]:
    """Canonical names of the agencies named in `texts`, in order of first appearance."""
    found: dict[str, int] = {}
    offset = 0
    for text in texts:
        folded = fold_letters(text)
        if not _ANY_ALIAS.search(folded):
            offset += len(folded) + 1
            continue
        for name, pattern in _COMPILED:
            match = _GENERIC_CREDIT.search(folded) if name == "Agencies" else pattern.search(folded)
            if match and name not in found:
                found[name] = offset + match.start()
        offset += len(folded) + 1
    return tuple(sorted(found, key=found.__getitem__))
