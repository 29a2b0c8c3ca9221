"""What a figure counts: the unit or role of a number, named the same way in Arabic, English and French.

Two outlets giving 27 and 30 disagree only when both count the same thing: "27 قتيلا" and "killing 30
people" do, "27 قتيلا" and "after 30 hours" do not. `unit_of` reads the words around a number and
returns a language-neutral concept ("dead", "hurt", "hour", "dinar"...) or None when it names none.

Roles beat generic counts: "31 people were killed" and "مقتل 31 شخصا" are "dead", not "person"; a
generic count is kept only when no role word is near. The role is looked for first in the words
after the number, then just before it ("مقتل 9 مرضى", "magnitude 6.1", "الدقيقة 87"), then a little
further after ("12 personnes ont péri", "5 أشخاص في عداد المفقودين"), never past "and"/"و"
(in "مقتل 31 شخصا وإصابة 140 آخرين", 31 is not hurt).
"""

from __future__ import annotations

import re

from marsad.entities.folding import strip_accents
from marsad.text.arabic import normalize

GENERIC = "person"

# Concept -> words naming it (any script; normalized when the table is built). إصابة is both an
# injury and a case of a disease, so injured and infected are one concept ("hurt").
_WORDS: dict[str, tuple[str, ...]] = {
    "dead": (
        "قتيل", "قتيلا", "قتلى", "مقتل", "وفاة", "وفيات", "ضحية", "ضحايا", "حتفهم", "حتفه", "توفي",
        "حياة", "موت", "dead", "killed", "killing", "kills", "deaths", "death", "died", "fatalities",
        "lives", "morts", "mort", "tues", "tue", "deces", "peri", "victimes",
    ),
    "hurt": (
        "جريح", "جريحا", "جرحى", "مصاب", "مصابا", "مصابين", "إصابة", "إصابات", "أصيب", "حالة", "حالات",
        "injured", "injuring", "wounded", "hurt", "cases", "case", "infections", "blesses", "blesse",
        "cas",
    ),
    "missing": ("مفقود", "مفقودا", "مفقودين", "المفقودين", "missing", "disparus", "disparu", "disparues"),
    GENERIC: (
        "شخص", "شخصا", "أشخاص", "مواطن", "مواطنا", "مواطنين", "سكان", "مريض", "مريضا", "مرضى",
        "people", "persons", "person", "residents", "patients", "personnes", "habitants",
    ),
    "hour": ("ساعة", "ساعات", "hours", "hour", "heures", "heure"),
    "day": ("يوم", "أيام", "يوما", "days", "day", "jours", "jour"),
    "minute": ("دقيقة", "الدقيقة", "minute", "minutes", "min"),
    "year": ("عام", "سنة", "سنوات", "عاما", "years", "year", "ans", "annees"),
    "km": ("كيلومتر", "كيلومترات", "كلم", "km", "kilometres", "kilometers", "kilometre"),
    "mm": ("ملم", "مم", "mm", "millimetres"),
    "ton": ("طن", "أطنان", "tonnes", "tons", "tonne"),
    "building": (
        "مبنى", "مباني", "مبان", "منزل", "منازل", "منزلا", "بناية", "buildings", "building", "homes",
        "houses", "batiments", "maisons", "logements",
    ),
    "site": ("موقع", "موقعا", "مواقع", "sites", "site"),
    "truck": ("شاحنة", "شاحنات", "trucks", "lorries", "camions"),
    "school": ("مدرسة", "مدارس", "schools", "ecoles"),
    "vote": ("صوت", "صوتا", "أصوات", "نائب", "نائبا", "نواب", "votes", "deputies", "lawmakers", "mps",
             "deputes", "voix"),
    "magnitude": ("درجة", "درجات", "ريختر", "magnitude", "richter"),
    "dinar": ("دينار", "دينارا", "dinars", "dinar"),
    "dollar": ("دولار", "دولارا", "dollars", "dollar", "$"),
    "pound": ("جنيه", "جنيها", "pounds", "livres"),
    "euro": ("يورو", "euros", "euro"),
    "point": ("نقطة", "نقاط", "points", "bps"),
}  # fmt: skip
# Scale words sit between a number and its unit ("14.2 مليار دينار"): stepped over.
_SCALE_WORDS = ("ألف", "آلاف", "مليون", "ملايين", "مليار", "thousand", "million", "billion", "mille",
                "milliers", "millions", "milliard", "milliards")  # fmt: skip
_SCALE = {normalize(w) for w in _SCALE_WORDS}
_CONCEPT = {strip_accents(normalize(w)): c for c, words in _WORDS.items() for w in words}
_AR_PREFIXES = ("وال", "بال", "فال", "لل", "ال", "و", "ب", "ل", "ف")
_AND = {"and", "et", "و"}
_TOKEN = re.compile(r"[\w$%]+", re.UNICODE)
_NEXT = 2  # words read right after the number
_BEFORE = 2  # words read just before it
_FURTHER = 4  # words read after it when only a generic count was found


def _concept(word: str) -> str | None:
    w = strip_accents(normalize(word))
    if w in _CONCEPT:
        return _CONCEPT[w]
    if re.match(r"[\u0600-\u06ff]", w):
        for p in _AR_PREFIXES:
            if w.startswith(p) and len(w) - len(p) >= 2 and w[len(p) :] in _CONCEPT:
                return _CONCEPT[w[len(p) :]]
    if w.endswith("s") and w[:-1] in _CONCEPT:
        return _CONCEPT[w[:-1]]
    return None


def _joins(word: str) -> bool:
    w = normalize(word)
    return w in _AND or (w.startswith("و") and _concept(w[1:]) is not None)


def _scan(words: list[str]) -> list[str]:
    """The concepts the words name, in order, stopping at the next number or at "and"."""
    out = []
    for k, w in enumerate(words):
        if any(ch.isdigit() for ch in w) or (k and _joins(w)):
            break
        if normalize(w) in _SCALE:
            continue
        c = _concept(w)
        if c is not None:
            out.append(c)
    return out


def unit_of(text: str, start: int, end: int) -> str | None:
    """The concept counted by the number at `text[start:end]` (see the module docstring), or None."""
    after = _TOKEN.findall(text[end : end + 120])
    before = _TOKEN.findall(text[max(0, start - 60) : start])[-_BEFORE:]
    near = _scan(after[:_NEXT])
    if near and near[0] != GENERIC:
        return near[0]
    role = next((c for c in _scan(before[::-1]) if c != GENERIC), None)
    if role is None and near:
        role = next((c for c in _scan(after[:_FURTHER]) if c != GENERIC), None)
    return role or (near[0] if near else None)


def same_fact(a: str | None, b: str | None) -> bool:
    """Two units that may count the same thing: equal, one unknown, two days named relative to their
    articles (`marsad.compare.numbers.days`), or a generic count of people beside a role of people
    (34 شخصا / 31 قتيلا)."""
    if a is None or b is None or a == b or (a.startswith("day:") and b.startswith("day:")):
        return True
    people = {"dead", "hurt", "missing", GENERIC}
    return GENERIC in (a, b) and {a, b} <= people
