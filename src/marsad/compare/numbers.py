"""The figures a claim states, normalized across scripts and conventions, and when two versions conflict.

A figure is written `35.7%`, `35,7 %`, `٣٥٫٧٪`, `35.7 في المئة` or `35.7 percent`; a score `2-1`;
a count `2,000` (English thousands) or `2 000`. Each becomes a `Figure` with a normalized `value`
("35.7", "2000", "2-1") and a `kind` ("percent", "score", "number"), so the same figure compares
equal whatever the outlet's language, and two outlets giving a different toll, rate or minute for
the same claim can be told apart from one that merely gives fewer details.

Only digits count: number words ("ثلاثة عقود", "trente ans") name units too loosely to compare
(three decades is thirty years) and would raise false disagreements.

A figure may be a lower bound ("أكثر من 20", "at least 57", "plus de 300": `bound` "min") or an
approximation ("نحو 50", "around 2,000", "environ 45": "about"): a bound is no disagreement with a
larger figure, an approximation none with a figure within a tenth of it. Vague quantities
("عشرات", "dozens", "des centaines") give no figure but an order of magnitude (`magnitudes`), which
an approximate or bounded figure of that order shares: "أكثر من 20 هزة" and "عشرات الهزات" are
one fact written two ways.

A day named relative to the article ("اليوم", "غدا", "أمس", "tomorrow", "hier") is a figure too
(`days`, kind "date", the calendar day it names given the article's publication time): one outlet's
"trading resumes today" and another's "tomorrow", written the same day, disagree. Only that case is
a disagreement: two articles of the same day naming today and a later day. A publication time is
often the time the page was fetched or the print edition's day, so "فجر اليوم" in a web story and
"فجر أمس" in the next morning's paper, both stamped the same day, are one dawn; an event to come is
reported on the day it is announced.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from marsad.compare.units import same_fact, unit_of

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# A score or range "2-1" / "2–1"; then a number with optional thousands groups or decimals.
_FIGURE = re.compile(
    r"(?<![0-9A-Za-z\u00c0-\u024f_.,٫])(?:(?P<score>\d{1,3}\s?[-–]\s?\d{1,3})(?![\d\w])"
    r"|(?P<num>\d{1,3}(?:[ \u00a0\u202f,]\d{3})+(?![\d])|\d+(?:[.,٫]\d+)?))"
)
_PERCENT = re.compile(r"^\s?(?:%|٪|في\s?المئة|في\s?المائة|بالمئة|بالمائة|percent|per cent|pour\s?cent)", re.I)


@dataclass(slots=True, frozen=True)
class Figure:
    """A normalized figure: `value` as text ("35.7", "2000", "2-1"), `kind` percent/score/number,
    `unit` what it counts ("dead", "hour", "dinar": `marsad.compare.units`; None when unnamed),
    `bound` "min" for a lower bound, "about" for an approximation, None for an exact figure.
    Two figures are equal on value and kind: one outlet's "27 قتيلا" is another's "killing 27"."""

    value: str
    kind: str
    unit: str | None = field(default=None, compare=False)
    bound: str | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return f"{self.value}%" if self.kind == "percent" else self.value


def _normalize_number(raw: str) -> str:
    text = raw.replace("٫", ".").replace("\u00a0", " ").replace("\u202f", " ")
    if re.fullmatch(r"\d{1,3}(?:[ ,]\d{3})+", text):
        return str(int(re.sub(r"[ ,]", "", text)))  # thousands separators
    text = text.replace(",", ".")  # a decimal comma (French, some Arabic outlets)
    if "." in text:
        whole, frac = text.split(".", 1)
        frac = frac.rstrip("0")
        return f"{int(whole)}.{frac}" if frac else str(int(whole))
    return str(int(text))


def figures(text: str) -> list[Figure]:
    """The figures of `text` in order (each once)."""
    text = text.translate(_DIGITS)
    out: list[Figure] = []
    for m in _FIGURE.finditer(text):
        if m.group("score"):
            value, kind = (
                re.sub(r"\s|–", lambda x: "-" if x.group() == "–" else "", m.group("score")),
                "score",
            )
        else:
            value = _normalize_number(m.group("num"))
            kind = "percent" if _PERCENT.match(text[m.end() :]) else "number"
        unit = unit_of(text, m.start(), m.end()) if kind == "number" else None
        fig = Figure(value, kind, unit, qualifier(text, m.start()) if kind != "score" else None)
        if fig not in out:
            out.append(fig)
    return out


# Words before a figure that make it a lower bound or an approximation (normalized, any script).
_MIN_WORDS = (
    "اكثر من", "ما يزيد عن", "ما يزيد على", "ما لا يقل عن", "لا يقل عن", "يزيد عن", "يزيد على",
    "على الاقل", "ما يربو على", "اكثر", "more than", "at least", "over", "upwards of", "plus de",
    "au moins", "pas moins de",
)  # fmt: skip
_ABOUT_WORDS = (
    "نحو", "حوالي", "حوالى", "قرابة", "زهاء", "ما يقارب", "ما يقرب من", "تقريبا", "around", "about",
    "some", "nearly", "almost", "roughly", "approximately", "an estimated", "environ", "pres de",
    "quelque", "quelques", "presque", "autour de",
)  # fmt: skip


def _folded(text: str) -> str:
    from marsad.entities.folding import strip_accents
    from marsad.text.arabic import normalize

    return " ".join(re.findall(r"\w+", strip_accents(normalize(text)).lower()))


_MIN = tuple(_folded(w) for w in _MIN_WORDS)
_ABOUT = tuple(_folded(w) for w in _ABOUT_WORDS)


def qualifier(text: str, start: int) -> str | None:
    """ "min" when the figure at `text[start:]` is a lower bound, "about" when approximate, else None
    (read in the three words before it; "ب" / "لـ" glued to a word are no word of their own)."""
    before = _folded(text[max(0, start - 40) : start]).split()[-3:]
    for n in (3, 2, 1):
        tail = " ".join(before[-n:]) if len(before) >= n else None
        if tail is None:
            continue
        if tail in _MIN or (n == 1 and tail.removeprefix("ب") in _MIN):
            return "min"
        if tail in _ABOUT or (n == 1 and tail.removeprefix("ب") in _ABOUT):
            return "about"
    return None


# Days named relative to the day of writing (normalized; Arabic words with their clitics off).
_RELATIVE_DAYS = {
    "اليوم": 0, "الليله": 0, "امس": -1, "البارحه": -1, "غدا": 1, "غد": 1, "today": 0, "tonight": 0,
    "yesterday": -1, "tomorrow": 1, "aujourd hui": 0, "hier": -1, "demain": 1, "avant hier": -2,
    "apres demain": 2, "اول امس": -2, "امس الاول": -2, "بعد غد": 2,
}  # fmt: skip
_WEEKDAYS = {"السبت", "الاحد", "الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعه"}
# "اليوم" that names no day: an outlet ("صحيفة اليوم", "عين اليوم"), "until today", or a noun with its
# adjective ("اليوم الوطني", "اليوم الأول"; a weekday after it is the day: "اليوم الأحد").
_NOT_A_DAY_BEFORE = {"عين", "صحيفه", "جريده", "حتى", "لحد", "منذ", "مثل"}


def days(text: str, published: datetime | None) -> list[Figure]:
    """The calendar days `text` names relative to its writing ("اليوم", "غدا", "yesterday"), as
    "date" figures (ISO day), given the article's `published` time; none when it is unknown."""
    if published is None:
        return []
    words = _folded(text).split()
    out: list[Figure] = []
    k = 0
    while k < len(words):
        two = " ".join(words[k : k + 2])
        w = words[k].removeprefix("و") if words[k].removeprefix("و") in _RELATIVE_DAYS else words[k]
        offset = _RELATIVE_DAYS.get(two)
        step = 2
        if offset is None:
            offset, step = _RELATIVE_DAYS.get(w), 1
        if offset is not None and w == "اليوم" and step == 1:
            before = words[k - 1] if k else ""
            after = words[k + 1] if k + 1 < len(words) else ""
            if before in _NOT_A_DAY_BEFORE or (after.startswith("ال") and after not in _WEEKDAYS):
                offset = None
        if offset is not None:
            when = (published.date() + timedelta(days=offset)).isoformat()
            day = Figure(when, "date", f"day:{offset}:{published.date().isoformat()}")
            if day not in out:
                out.append(day)
        k += step
    return out


def _close(a: Figure, b: Figure) -> bool:
    """Two figures of one kind and unit near enough in size to be two versions of one fact (31 and
    34 dead, 87th and 78th minute, 1.25 and 1.20 dinars), not two different facts (27 dead, 2009;
    27 dead and 30 hours)."""
    if a.kind != b.kind or not same_fact(a.unit, b.unit):
        return False
    if a.kind == "score":
        return True
    if a.kind == "date":  # today and a day to come, written the same day (module docstring)
        (_, off_a, day_a), (_, off_b, day_b) = (str(f.unit).split(":") for f in (a, b))
        return day_a == day_b and int(off_a) >= 0 and int(off_b) >= 0
    x, y = float(a.value), float(b.value)
    if x <= 0 or y <= 0:
        return False
    return max(x, y) / min(x, y) <= 1.5


def _compatible(a: Figure, b: Figure) -> bool:
    """Two figures of one fact that do not contradict each other although they differ: a lower
    bound and a figure at or over it ("أكثر من 20" / 25), an approximation and a figure within a
    tenth of it ("نحو 50" / 48.5)."""
    if a.kind in ("score", "date") or b.kind in ("score", "date"):
        return False
    x, y = float(a.value), float(b.value)
    if (a.bound == "min" and y >= x) or (b.bound == "min" and x >= y):
        return True
    return "about" in (a.bound, b.bound) and abs(x - y) <= 0.1 * max(x, y)


def conflict(a: Sequence[Figure], b: Sequence[Figure]) -> list[tuple[Figure, Figure]]:
    """The figure pairs on which two versions of one claim disagree: a figure only `a` gives that
    is close in kind and size to one only `b` gives. A figure given by one outlet alone (a detail
    the other left out) is no disagreement."""
    only_a = [x for x in a if x not in b]
    only_b = [y for y in b if y not in a]
    return [(x, y) for x in only_a for y in only_b if _close(x, y) and not _compatible(x, y)]


# Number words, for matching only: "نحو ألفي شخص" and "around 2,000 people" share the figure 2000.
# They never enter a `Figure` (see the module docstring: too loose to dispute).
_UNIT_WORDS = {
    2: "اثنان اثنين اثنتان اثنتين two deux",
    3: "ثلاث ثلاثة three trois",
    4: "أربع أربعة four quatre",
    5: "خمس خمسة five cinq",
    6: "ست ستة six",
    7: "سبع سبعة seven sept",
    8: "ثماني ثمانية ثمان eight huit",
    9: "تسع تسعة nine",
    10: "عشر عشرة ten dix",
    20: "عشرون عشرين twenty vingt",
    30: "ثلاثون ثلاثين thirty trente",
    40: "أربعون أربعين forty quarante",
    50: "خمسون خمسين fifty cinquante",
    60: "ستون ستين sixty soixante",
    70: "سبعون سبعين seventy",
    80: "ثمانون ثمانين eighty",
    90: "تسعون تسعين ninety",
    100: "مئة مائة hundred cent",
    200: "مئتان مئتين مائتان مائتين مئتي",
}
_SCALE_WORDS = {
    1000: ("ألف آلاف thousand thousands mille", "ألفان ألفين ألفي"),
    1_000_000: ("مليون ملايين million millions", "مليونان مليونين مليوني"),
}


# Quantities named by their order of magnitude only ("dozens of aftershocks"), by that order.
_VAGUE = {
    10: "عشرات dozens tens dizaines",
    100: "مئات hundreds centaines",
    1000: "الاف آلاف thousands milliers",
    1_000_000: "ملايين millions",
}


def magnitudes(text: str) -> set[int]:
    """The orders of magnitude `text` gives as vague quantities ("عشرات" 10, "عشرات الآلاف" 10000,
    "hundreds" 100) or as bounded or approximate figures ("أكثر من 20" 10, "around 2,000" 1000)."""
    from marsad.text.arabic import normalize

    vague = {normalize(w): n for n, words in _VAGUE.items() for w in words.split()}
    words = [w.removeprefix("و") if w.removeprefix("و") in vague else w for w in _folded(text).split()]
    out: set[int] = set()
    for k, w in enumerate(words):
        if w in vague and not (k and re.fullmatch(r"\d+", words[k - 1])):  # "3 آلاف" is a figure
            scale = vague[w]
            nxt = words[k + 1].removeprefix("ال") if k + 1 < len(words) else ""
            if scale < 1000 and nxt in vague and vague[nxt] >= 1000:
                scale *= vague[nxt]  # عشرات الآلاف: tens of thousands
            out.add(scale)
    for f in figures(text):
        if f.bound is not None and f.kind == "number" and float(f.value) >= 10:
            out.add(10 ** (len(str(int(float(f.value)))) - 1))
    return out


def _word_tables() -> tuple[dict[str, int], dict[str, tuple[int, bool]]]:
    from marsad.text.arabic import normalize

    units = {normalize(w): n for n, words in _UNIT_WORDS.items() for w in words.split()}
    scales = {normalize(w): (n, False) for n, (plain, _dual) in _SCALE_WORDS.items() for w in plain.split()}
    scales |= {normalize(w): (n, True) for n, (_plain, dual) in _SCALE_WORDS.items() for w in dual.split()}
    return units, scales


_UNITS, _SCALES = _word_tables()


def word_numbers(words: Sequence[str]) -> list[str]:
    """The numbers written in words among normalized, tokenized `words` ("ألفي" 2000, "ثلاثة آلاف"
    3000, "خمسة وعشرين" 25, "two thousand" 2000), as figure values."""
    out: list[str] = []
    value = 0
    for w in [*words, ""]:
        bare = w[1:] if w[:1] in ("و", "ب", "ل") and w[1:] in _UNITS | _SCALES else w
        if bare in _UNITS:
            if value and w[:1] != "و" and value % 10 == 0:
                out.append(str(value))  # two numbers side by side, not one compound
                value = 0
            value += _UNITS[bare]
        elif bare in _SCALES:
            scale, dual = _SCALES[bare]
            value = 2 * scale if dual else max(value, 1) * scale
        else:
            if value:
                out.append(str(value))
            value = 0
    return list(dict.fromkeys(out))
