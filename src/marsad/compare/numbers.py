"""The figures a claim states, normalized across scripts and conventions, and when two versions conflict.

A figure is written `35.7%`, `35,7 %`, `٣٥٫٧٪`, `35.7 في المئة` or `35.7 percent`; a score `2-1`;
a count `2,000` (English thousands) or `2 000`. Each becomes a `Figure` with a normalized `value`
("35.7", "2000", "2-1") and a `kind` ("percent", "score", "number"), so the same figure compares
equal whatever the outlet's language, and two outlets giving a different toll, rate or minute for
the same claim can be told apart from one that merely gives fewer details.

Only digits count: number words ("ثلاثة عقود", "trente ans") name units too loosely to compare
(three decades is thirty years) and would raise false disagreements.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

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
    `unit` what it counts ("dead", "hour", "dinar": `marsad.compare.units`; None when unnamed).
    Two figures are equal on value and kind: one outlet's "27 قتيلا" is another's "killing 27"."""

    value: str
    kind: str
    unit: str | None = field(default=None, compare=False)

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
        fig = Figure(value, kind, unit_of(text, m.start(), m.end()) if kind == "number" else None)
        if fig not in out:
            out.append(fig)
    return out


def _close(a: Figure, b: Figure) -> bool:
    """Two figures of one kind and unit near enough in size to be two versions of one fact (31 and
    34 dead, 87th and 78th minute, 1.25 and 1.20 dinars), not two different facts (27 dead, 2009;
    27 dead and 30 hours)."""
    if a.kind != b.kind or not same_fact(a.unit, b.unit):
        return False
    if a.kind == "score":
        return True
    x, y = float(a.value), float(b.value)
    if x <= 0 or y <= 0:
        return False
    return max(x, y) / min(x, y) <= 1.5


def conflict(a: Sequence[Figure], b: Sequence[Figure]) -> list[tuple[Figure, Figure]]:
    """The figure pairs on which two versions of one claim disagree: a figure only `a` gives that
    is close in kind and size to one only `b` gives. A figure given by one outlet alone (a detail
    the other left out) is no disagreement."""
    only_a = [x for x in a if x not in b]
    only_b = [y for y in b if y not in a]
    return [(x, y) for x in only_a for y in only_b if _close(x, y)]


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
