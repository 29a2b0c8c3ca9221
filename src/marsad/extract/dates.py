"""Publication dates: ISO 8601, RFC 2822, and Arabic dates written in words.

Arabic has two month-name series: the Egyptian/Gulf transliterations (يناير ... ديسمبر) and the
Levantine/Iraqi Syriac names (كانون الثاني ... كانون الأول); news often writes both as "مايو/أيار".
Digits may be Arabic-Indic. A date without a year is resolved against a reference date (the fetch
or feed time), taking the latest such date not after it.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from marsad.text.arabic import fold_letters

# Folded spellings (ا for أ/إ/آ, ي for ى, ه for ة).
MONTHS: dict[str, int] = {
    "يناير": 1,
    "فبراير": 2,
    "مارس": 3,
    "ابريل": 4,
    "افريل": 4,
    "مايو": 5,
    "ماي": 5,
    "يونيو": 6,
    "يونيه": 6,
    "جوان": 6,
    "يوليو": 7,
    "يوليه": 7,
    "جويليه": 7,
    "اغسطس": 8,
    "اوت": 8,
    "سبتمبر": 9,
    "اكتوبر": 10,
    "نوفمبر": 11,
    "ديسمبر": 12,
    "كانون الثاني": 1,
    "شباط": 2,
    "اذار": 3,
    "نيسان": 4,
    "ايار": 5,
    "حزيران": 6,
    "تموز": 7,
    "اب": 8,
    "ايلول": 9,
    "تشرين الاول": 10,
    "تشرين الثاني": 11,
    "كانون الاول": 12,
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "janvier": 1,
    "février": 2,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "décembre": 12,
    "decembre": 12,
}
_MONTH_ALT = "|".join(sorted((re.escape(m).replace(r"\ ", r"\s+") for m in MONTHS), key=len, reverse=True))
# 24 مايو/أيار 2016 ; 24 أيار (مايو) 2016 ; 15 March 2024 ; le 3 mars 2024
_DAY_MONTH_YEAR = re.compile(
    rf"(?<!\d)(\d{{1,2}})\s+({_MONTH_ALT})(?:\s*[/(]\s*(?:{_MONTH_ALT})\s*\)?)?(?:\s*,?\s*(\d{{4}}))?(?!\w)",
    re.IGNORECASE,
)
# March 15, 2024
_MONTH_DAY_YEAR = re.compile(rf"(?<!\w)({_MONTH_ALT})\s+(\d{{1,2}}),?\s+(\d{{4}})(?!\d)", re.IGNORECASE)
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?")


def _month(name: str) -> int | None:
    return MONTHS.get(re.sub(r"\s+", " ", name.lower()))


def parse_date(value: str) -> datetime | None:
    """Parse one date string (ISO 8601, RFC 2822 or words). Naive results are taken as UTC."""
    value = value.strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is None:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            parsed = None
    if parsed is None:
        parsed = find_date_in_text(value)
    if parsed is not None and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def _safe(year: int, month: int, day: int) -> datetime | None:
    try:
        return datetime(year, month, day, tzinfo=UTC)
    except ValueError:
        return None


def find_date_in_text(text: str, reference: datetime | None = None) -> datetime | None:
    """The first full date written in `text`; a day and month without a year need `reference`."""
    folded = fold_letters(text[:20000])
    candidates: list[tuple[int, datetime]] = []
    m = _ISO.search(folded)
    if m:
        d = _safe(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d is not None:
            if m.group(4):
                d = d.replace(hour=int(m.group(4)), minute=int(m.group(5)))
            candidates.append((m.start(), d))
    for m in _DAY_MONTH_YEAR.finditer(folded):
        month = _month(m.group(2))
        if month is None:
            continue
        day = int(m.group(1))
        if m.group(3):
            d = _safe(int(m.group(3)), month, day)
        elif reference is not None:
            d = _safe(reference.year, month, day)
            if d is not None and d > reference + timedelta(days=1):
                d = _safe(reference.year - 1, month, day)
        else:
            d = None
        if d is not None:
            candidates.append((m.start(), d))
            break
    m2 = _MONTH_DAY_YEAR.search(folded)
    if m2:
        month = _month(m2.group(1))
        d = _safe(int(m2.group(3)), month, int(m2.group(2))) if month else None
        if d is not None:
            candidates.append((m2.start(), d))
    if not candidates:
        return None
    return min(candidates, key=lambda c: c[0])[1]
