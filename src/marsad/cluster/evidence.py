"""Event-level evidence: what tells two look-alike reports of *different* happenings apart.

Recurring items share a template and most of their words: two days' market closes, two days' weather
bulletins, one emir's receptions of two guests, condolences for two martyrs. What differs is small and
sits up front: the day the text is about, the numbers of the happening (points, tolls, scores,
amounts), the counterparty (the guest, the recipient, the deceased). This module reads those from the
title and lead:

- `event_day`: the day the text says it is about, as days since the epoch: the first date expression
  of the title or lead (Arabic أمس / أمس الأول / غدا / a weekday name / "2 أغسطس"; English
  yesterday / tomorrow / a weekday / "August 2"; Malay and Chinese yesterday / tomorrow) resolved
  against the publication day; None without one.
- `lead_numbers`: the numbers of the title and lead (years, and small ordinals, left out).
- `lead_entities`: the person/place/organisation keys of the title and lead (`marsad.entities`).

`marsad.cluster.features` turns them into pair signals: the gap between the two event days, and the
share of one text's lead numbers / lead entities the other text never mentions (a wire copy mentions
them all; another session's close or another guest's reception does not).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from marsad.entities import entity_keys
from marsad.text.arabic import fold_letters

LEAD_CHARS = 320  # title + this much of the body: where the happening is named
_TEXT_CHARS = 4000  # as marsad.cluster.features reads the text

# Folded Arabic (أإآ -> ا, ة -> ه, ى -> ي) and lower-cased Latin.
_AR_WEEKDAYS = {"الاثنين": 0, "الثلاثاء": 1, "الاربعاء": 2, "الخميس": 3, "الجمعه": 4, "السبت": 5, "الاحد": 6}
_EN_WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
_MONTHS = {
    # Gregorian, Arabic (Egyptian/Gulf and Levantine names) and English
    "يناير": 1, "كانون الثاني": 1, "فبراير": 2, "شباط": 2, "مارس": 3, "اذار": 3, "ابريل": 4, "نيسان": 4,
    "مايو": 5, "ايار": 5, "يونيو": 6, "حزيران": 6, "يوليو": 7, "تموز": 7, "اغسطس": 8, "اب": 8,
    "سبتمبر": 9, "ايلول": 9, "اكتوبر": 10, "تشرين الاول": 10, "نوفمبر": 11, "تشرين الثاني": 11,
    "ديسمبر": 12, "كانون الاول": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}  # fmt: skip
_RELATIVE = {
    "امس الاول": -2,
    "اول امس": -2,
    "اول من امس": -2,
    "امس": -1,
    "البارحه": -1,
    "غدا": 1,
    "the day before yesterday": -2,
    "yesterday": -1,
    "tomorrow": 1,
    "kelmarin": -1,  # Malay
    "semalam": -1,
    "esok": 1,
}
_NEXT = ("المقبل", "القادم", "next")
_WORD_END = r"(?![\w])"
_months_alt = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_DATE_DAY_MONTH = re.compile(
    rf"(?<!\d)(\d{{1,2}})\s*(?:من\s+)?(?:شهر\s+)?(?:و|ب|ل)?({_months_alt}){_WORD_END}"
)
_DATE_MONTH_DAY = re.compile(rf"(?<![\w])({_months_alt})\s+(\d{{1,2}})(?!\d)")
_CJK_RELATIVE = {"昨天": -1, "昨日": -1, "前天": -2, "明天": 1}
_words_alt = "|".join(
    sorted([re.escape(w) for w in (*_RELATIVE, *_AR_WEEKDAYS, *_EN_WEEKDAYS)], key=len, reverse=True)
)
# An Arabic word may carry a clitic (وامس, بالامس); Chinese has no word boundaries (searched apart).
_WORD = re.compile(rf"(?:^|(?<=\W))(?:و|ب|ف|بال)?({_words_alt})(\s+(?:{'|'.join(_NEXT)}))?(?!\w)")
_CJK = re.compile("|".join(_CJK_RELATIVE))
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_CLOCK = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?!\d)")  # 3:42, 15:30: when, not what happened


@dataclass(slots=True, frozen=True)
class EventEvidence:
    """What a document says about its happening, from its title and lead."""

    day: int | None  # days since the epoch; None when undated
    numbers: frozenset[str]  # of the title and lead (`lead_numbers`)
    entities: frozenset[str]  # of the title and lead
    number_forms: frozenset[str] = frozenset()  # every number of the text, in all its forms


_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def plain_number(written: str) -> str:
    """A number as found in the text, its separators read: 2,000 and 1,250.5 are thousands (2000,
    1250.5); a comma before one, two or four-plus digits is a decimal comma (French "6,1", Arabic
    "35,7" = 6.1, 35.7), not a thousands separator."""
    if "," not in written or _THOUSANDS.fullmatch(written):
        return written.replace(",", "")
    if written.count(",") == 1 and "." not in written:
        return written.replace(",", ".")
    return written.replace(",", "")


def number_forms(number: str) -> frozenset[str]:
    """The ways one number is written across outlets: 3.20 = 3.2, and 8807.24 rounds to 8807 / 8808."""
    try:
        value = float(number)
    except ValueError:
        return frozenset({number})
    forms = {f"{value:g}" if value < 1e15 else number}
    if value != int(value):
        forms |= {str(int(value)), str(round(value))}
    return frozenset(forms)


def found_in(number: str, forms: frozenset[str]) -> bool:
    """Whether `number` is given, in any of its written forms, among `forms` (see `number_forms`)."""
    return not number_forms(number).isdisjoint(forms)


def numbers_conflict(a: EventEvidence, b: EventEvidence) -> bool:
    """Two leads that each state two or more numbers of which the other text gives none: two
    different happenings (two sessions' closes, two matches' scores, two tolls), whatever the wording."""
    if len(a.numbers) < 2 or len(b.numbers) < 2:
        return False
    return not any(found_in(n, b.number_forms) for n in a.numbers) and not any(
        found_in(n, a.number_forms) for n in b.numbers
    )


NO_EVIDENCE = EventEvidence(None, frozenset(), frozenset(), frozenset())


def _local_day(published: datetime) -> date:
    # The calendar day where the outlet published: its "yesterday" counts from there.
    return published.date()


def _explicit(match: re.Match[str], day_first: bool, pub: date) -> date | None:
    day_s, month_s = (match.group(1), match.group(2)) if day_first else (match.group(2), match.group(1))
    day, month = int(day_s), _MONTHS[month_s]
    if not 1 <= day <= 31:
        return None
    # The year is the publication's, or the one before when that puts the date far in the future.
    for year in (pub.year, pub.year - 1, pub.year + 1):
        try:
            found = date(year, month, day)
        except ValueError:
            return None
        if -300 <= (found - pub).days <= 60:
            return found
    return None


def _relative(word: str, upcoming: bool, pub: date) -> date:
    if word in _RELATIVE or word in _CJK_RELATIVE:
        return pub + timedelta(days=_RELATIVE.get(word, _CJK_RELATIVE.get(word, 0)))
    weekday = _AR_WEEKDAYS.get(word, _EN_WEEKDAYS.get(word))
    assert weekday is not None
    back = (pub.weekday() - weekday) % 7
    if upcoming:
        return pub + timedelta(days=(weekday - pub.weekday()) % 7 or 7)
    return pub - timedelta(days=back)


def text_day(text: str, published: datetime | None) -> date | None:
    """The day `text` (a title, a lead) is about, from its first date expression; None if it has none."""
    if published is None:
        return None
    pub = _local_day(published)
    folded = fold_letters(text).lower()
    found: list[tuple[int, date]] = []
    for m in _DATE_DAY_MONTH.finditer(folded):
        d = _explicit(m, True, pub)
        if d is not None:
            found.append((m.start(), d))
    for m in _DATE_MONTH_DAY.finditer(folded):
        d = _explicit(m, False, pub)
        if d is not None:
            found.append((m.start(), d))
    word = _WORD.search(folded)
    if word is not None:
        found.append((word.start(), _relative(word.group(1), bool(word.group(2)), pub)))
    c = _CJK.search(folded)
    if c is not None:
        found.append((c.start(), _relative(c.group(0), False, pub)))
    return min(found)[1] if found else None


def event_day(title: str | None, lead: str, published: datetime | None) -> int | None:
    """The day the document says it is about (days since the epoch): the title's or lead's first date
    expression resolved against the publication day. None without one: a report with no date word
    may be the print edition of the day after, so its publication day does not date the happening."""
    found = text_day(title or "", published) or text_day(lead, published)
    return None if found is None else (found - date(1970, 1, 1)).days


def lead_numbers(title: str | None, lead: str) -> frozenset[str]:
    """Numbers of the title and lead that can identify a happening: 2+ digits or decimals, not years,
    not clock times (an outlet giving the hour of a quake does not report another quake)."""
    out = set()
    for n in map(plain_number, _NUMBER.findall(_CLOCK.sub(" ", fold_letters(f"{title or ''} {lead}")))):
        if len(n) < 2 and "." not in n:
            continue
        if n.isdigit() and (1400 <= int(n) <= 1500 or 1950 <= int(n) <= 2100):  # Hijri / Gregorian years
            continue
        out.add(n)
    return frozenset(out)


def event_evidence(
    title: str | None,
    text: str,
    published: datetime | None,
    language: str | None,
    lead_entities: frozenset[str] | None = None,
) -> EventEvidence:
    """The event-level evidence of one document; `lead_entities` when already found (else a recognizer
    pass over the title and lead)."""
    lead = text[:LEAD_CHARS]
    every = _NUMBER.findall(fold_letters(f"{title or ''} {text[:_TEXT_CHARS]}"))
    return EventEvidence(
        day=event_day(title, lead, published),
        numbers=lead_numbers(title, lead),
        entities=lead_entities if lead_entities is not None else entity_keys(title, lead, language),
        number_forms=frozenset(f for n in every for f in number_forms(plain_number(n))),
    )
