"""Publication dates: ISO 8601, RFC 2822, page metadata, and dates written in words.

Arabic has several month-name series: the Egyptian/Gulf transliterations (يناير ... ديسمبر), the
Levantine/Iraqi Syriac names (كانون الثاني ... كانون الأول), the Maghreb French-derived names
(جانفي، فيفري، جوان، جويلية، أوت) and the Moroccan ones (يوليوز، غشت، شتنبر، نونبر، دجنبر); news
often writes two as "مايو/أيار" or "أيار (مايو)". Digits may be Arabic-Indic. A date without a year,
or a weekday with a day ("الثلاثاء 24"), is resolved against a reference date (the fetch or feed
time), taking the latest such date not after it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

from marsad.text.arabic import fold_letters


def _series(names: str, first: int = 1) -> dict[str, int]:
    return {name.replace("_", " "): n for n, name in enumerate(names.split(), start=first)}


# Folded spellings (ا for أ/إ/آ, ي for ى, ه for ة); "_" stands for a space inside a name.
MONTHS: dict[str, int] = {
    **_series("يناير فبراير مارس ابريل مايو يونيو يوليو اغسطس سبتمبر اكتوبر نوفمبر ديسمبر"),
    **_series("كانون_الثاني شباط اذار نيسان ايار حزيران تموز اب ايلول تشرين_الاول تشرين_الثاني كانون_الاول"),
    **_series("جانفي فيفري"),
    **{"افريل": 4, "ماي": 5, "يونيه": 6, "جوان": 6, "يوليه": 7, "جويليه": 7, "اوت": 8},
    **{"يوليوز": 7, "غشت": 8, "شتنبر": 9, "نونبر": 11, "دجنبر": 12},
    **{"كانون ثاني": 1, "تشرين اول": 10, "تشرين ثاني": 11, "كانون اول": 12},
    **_series("january february march april may june july august september october november december"),
    **_series("jan feb mar apr"),
    **{"jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12},
    **_series("janvier février mars avril mai juin juillet août septembre octobre novembre décembre"),
    **{"fevrier": 2, "aout": 8, "decembre": 12},
}

# Python's weekday(): Monday is 0.
WEEKDAYS: dict[str, int] = {
    **_series("الاثنين الثلاثاء الاربعاء الخميس الجمعه السبت الاحد", first=0),
    **{"اثنين": 0, "ثلاثاء": 1, "اربعاء": 2, "خميس": 3, "جمعه": 4, "سبت": 5, "احد": 6},
    **_series("monday tuesday wednesday thursday friday saturday sunday", first=0),
    **_series("lundi mardi mercredi jeudi vendredi samedi dimanche", first=0),
}


def _alternation(names: Iterable[str]) -> str:
    return "|".join(sorted((re.escape(n).replace(r"\ ", r"\s+") for n in names), key=len, reverse=True))


_MONTH_ALT = _alternation(MONTHS)
_WEEKDAY_ALT = _alternation(WEEKDAYS)
# 24 مايو/أيار 2016 ; 24 أيار (مايو) 2016 ; 15 March 2024 ; le 3 mars 2024 ; 8 فيفري 2019
_DAY_MONTH_YEAR = re.compile(
    rf"(?<!\d)(\d{{1,2}})\s+({_MONTH_ALT})\.?(?:\s*[/(]\s*(?:{_MONTH_ALT})\s*\)?)?(?:\s*,?\s*(\d{{4}}))?(?!\w)",
    re.IGNORECASE,
)
# March 15, 2024 ; Nov. 18, 2019
_MONTH_DAY_YEAR = re.compile(
    rf"(?<!\w)({_MONTH_ALT})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)", re.IGNORECASE
)
_ISO = re.compile(r"(?<!\d)(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?(?!\d)")
# 08/02/2019, 8.2.2019, 08-02-2019: day first (Arabic and European use) unless the day cannot be.
_NUMERIC_DMY = re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?!\d)")
# الثلاثاء 24 ; يوم الثلاثاء الموافق 24 ; mardi 24 ; Tuesday 24th (a month name after it makes it a full date)
_WEEKDAY_DAY = re.compile(
    rf"(?<![\w\u0600-\u06ff])(?:يوم\s+)?({_WEEKDAY_ALT})\s*[,،]?\s*(?:الموافق\s+|le\s+|the\s+)?(\d{{1,2}})"
    rf"(?:st|nd|rd|th)?(?!\d)(?!\s*(?:{_MONTH_ALT})(?!\w))(?!\s*[/.-]\s*\d)",
    re.IGNORECASE,
)
# How far back a weekday + day phrase may point from its reference date.
WEEKDAY_LOOKBACK_DAYS = 45


def _month(name: str) -> int | None:
    return MONTHS.get(re.sub(r"\s+", " ", name.lower()))


def parse_date(value: str) -> datetime | None:
    """Parse one date string (ISO 8601, RFC 2822 or words). Naive results are taken as UTC."""
    value = value.strip()
    if not value or len(value) > 200:
        return None
    try:
        parsed: datetime | None = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is None:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            parsed = None
    if parsed is None:
        parsed = find_date_in_text(value)
    if parsed is None or not 1900 <= parsed.year <= 2100:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed


def _safe(year: int, month: int, day: int) -> datetime | None:
    if not 1900 <= year <= 2100:
        return None
    try:
        return datetime(year, month, day, tzinfo=UTC)
    except ValueError:
        return None


def resolve_weekday_day(weekday: int, day: int, reference: datetime) -> datetime | None:
    """The latest date on or before `reference` (one day of slack for time zones) that falls on
    `weekday` (Monday 0) and day-of-month `day`, looking back at most WEEKDAY_LOOKBACK_DAYS.
    """
    start = datetime(reference.year, reference.month, reference.day, tzinfo=UTC) + timedelta(days=1)
    for back in range(WEEKDAY_LOOKBACK_DAYS + 2):
        d = start - timedelta(days=back)
        if d.day == day and d.weekday() == weekday:
            return d
    return None


def _year_for(month: int, day: int, reference: datetime) -> datetime | None:
    d = _safe(reference.year, month, day)
    if d is not None and d > reference + timedelta(days=1):
        d = _safe(reference.year - 1, month, day)
    return d


def _candidates(folded: str, reference: datetime | None) -> Iterable[tuple[int, datetime]]:
    m = _ISO.search(folded)
    if m:
        d = _safe(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d is not None:
            if m.group(4) and int(m.group(4)) < 24 and int(m.group(5)) < 60:
                d = d.replace(hour=int(m.group(4)), minute=int(m.group(5)))
            yield m.start(), d
    for m in _DAY_MONTH_YEAR.finditer(folded):
        month = _month(m.group(2))
        if month is None:
            continue
        day = int(m.group(1))
        if m.group(3):
            d = _safe(int(m.group(3)), month, day)
        else:
            d = _year_for(month, day, reference) if reference is not None else None
        if d is not None:
            yield m.start(), d
            break
    m = _MONTH_DAY_YEAR.search(folded)
    if m:
        month = _month(m.group(1))
        d = _safe(int(m.group(3)), month, int(m.group(2))) if month else None
        if d is not None:
            yield m.start(), d
    m = _NUMERIC_DMY.search(folded)
    if m:
        first, second, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
        d = _safe(year, second, first) if second <= 12 else _safe(year, first, second)
        if d is not None:
            yield m.start(), d
    if reference is not None:
        for m in _WEEKDAY_DAY.finditer(folded):
            d = resolve_weekday_day(WEEKDAYS[m.group(1).lower()], int(m.group(2)), reference)
            if d is not None:
                yield m.start(), d
                break


def find_date_in_text(text: str, reference: datetime | None = None) -> datetime | None:
    """The first date written in `text`.

    A day and month without a year, and a weekday with a day ("الثلاثاء 24", "mardi 24"), are
    resolved against `reference` and ignored without one.
    """
    folded = fold_letters(text[:20000])
    candidates = list(_candidates(folded, reference))
    if not candidates:
        return None
    return min(candidates, key=lambda c: c[0])[1]


# Page metadata keys that state the publication date, most trusted first. Keys are lower case:
# <meta name|property|itemprop>, JSON-LD fields, and <time> / dc:date attributes.
META_DATE_KEYS: tuple[str, ...] = (
    "article:published_time",
    "datepublished",
    "og:published_time",
    "published_time",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "date.published",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dc:date",
    "dcterms.date",
    "sailthru.date",
    "parsely-pub-date",
    "date",
    "time:datetime",
    "datecreated",
    "article:modified_time",
    "datemodified",
    "og:updated_time",
)
_META_RANK = {key: rank for rank, key in enumerate(META_DATE_KEYS)}


def find_meta_date(pairs: Iterable[tuple[str, str]]) -> datetime | None:
    """The publication date stated by page metadata: (key, value) pairs such as
    ("article:published_time", "2024-03-15T10:00:00Z"), taken in the order of META_DATE_KEYS.
    Unknown keys and unparseable values are skipped.
    """
    best: tuple[int, datetime] | None = None
    for key, value in pairs:
        rank = _META_RANK.get(key.lower())
        if rank is None or (best is not None and rank >= best[0]):
            continue
        parsed = parse_date(value)
        if parsed is not None:
            best = (rank, parsed)
    return best[1] if best else None


# /2019/11/18/, /2019-11-18-, /20191118/ in a URL path: the outlet's own calendar day.
_URL_DAY = re.compile(
    r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|-|\.|$)|[/-]((?:19|20)\d{2})(\d{2})(\d{2})[/-]"
)


def url_day(url: str | None) -> date | None:
    """The publication day a news URL states in its path, if any."""
    m = _URL_DAY.search(url or "")
    if not m:
        return None
    y, mo, d = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
    try:
        return date(int(y), int(mo), int(d))
    except ValueError:
        return None


def on_url_day(published: datetime, url: str | None) -> datetime:
    """`published` on the outlet's calendar day when its URL states one.

    Metadata often gives the instant in UTC ("2019-11-19T02:34:30Z") for a story the outlet dates
    2019-11-18 in its own time zone, which the page does not name. When the URL's day is the
    day before or after, the same instant is expressed at the whole-hour UTC offset nearest to
    zero that falls on the URL's day: the moment is unchanged, the day is the outlet's. An
    instant stated with its own non-zero offset is already in the page's time zone and is kept.
    """
    day = url_day(url)
    offset = published.utcoffset()
    if day is None or published.date() == day or (offset is not None and offset != timedelta(0)):
        return published
    if abs((published.date() - day).days) != 1:
        return published
    moment = published if published.tzinfo is not None else published.replace(tzinfo=UTC)
    for hours in sorted(range(-12, 15), key=abs):
        local = moment.astimezone(timezone(timedelta(hours=hours)))
        if local.date() == day:
            return local
    return published
