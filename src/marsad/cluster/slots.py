"""Templates and their slots: what tells two items of one recurring template apart.

Recurring items are written from one template and differ in a slot: the recipient of a cable
(«يهنئ رئيس النيجر» / «يهنئ رئيسي سويسرا وبنين»), the guest of a reception, the deceased of a
condolence, the opponent of a friendly, the region of a municipal-election item, the club of a
pre-season camp. Two pair signals read the slot (compared within one language only):

- the **title template**: the share of one title's own words (those the other title lacks) that the
  other text never gives anywhere. A rewrite of the same happening
  names its other words somewhere in the body; another item of the template does not (another
  guest, another region).
- the **counterparty**: the words right after a template's key verb or noun (هنأ, برقية تهنئة, عزاء,
  استقبل, التقى, يواجه, أمام, منطقة, محافظة, نادي ...), honorifics and titles skipped; two texts whose
  counterparties the other text never names report two happenings.

Words are compared bare: normalized, the article and a one-letter clitic (و ب ل ف ك) stripped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from marsad.cluster.lexical import light_stem
from marsad.text.tokens import content_words

_CLITICS = ("و", "ب", "ل", "ف", "ك")
# Normalized spellings (أ -> ا, ة -> ه, ئ -> ي, ى -> ي), before stripping.
_TRIGGERS = frozenset(
    """
    هنا يهني يهنيان تهني تهنيان تهنيه تهانيه مهنيا
    عزا عزاء يعزي يعزيان تعزي تعزيه معزيا يواسي مواساه وفاه
    استقبل يستقبل تستقبل يستقبلان استقبال استقباله التقي يلتقي تلتقي يلتقيان لقاء لقايه
    يواجه تواجه يلاقي يلعب امام ضد
    منطقه محافظه مدينه امانه بلديه
    نادي فريق
    """.split()
)
# Words that stand between a trigger and its counterparty: honorifics, titles, occasions.
_FILLERS = frozenset(
    """
    رييس رييسي رياسه جمهوريه ملك امير اميري سمو صاحب ملكي معالي فخامه دوله سعاده سفير سفيري
    وزير وزيري نايب نايبه ولي عهد شيخ لواء عميد عقيد دكتور د مدير محافظ امين عام
    خادم حرمين شريفين مناسبه ذكري يوم وطني عيد برقيه برقيتي برقيات هاتفيا اتصالا
    اسره اسر ذوي عايله شهيد شهيدي شهداء فقيد الفقيد مكتبه قصر مقر اليوم امس غدا
    وديا وديه مباراه لقاء نادي فريق منتخب اول اخير جديد كره قدم كروي موسم
    مهندس بن شوون قرويه اكثر اشخاص
    """.split()
)
_SLOT_WORDS = 2  # counterparty words kept after one trigger
_SLOT_WINDOW = 6  # words looked at after a trigger
TITLE_LEAD_CHARS = 200  # the counterparty is read from the title and the start of the lead


def bare(word: str) -> str:
    """`word` with the article (light stem) or else one clitic letter stripped (long words only)."""
    stem = light_stem(word)
    if stem != word:
        return stem
    if len(word) >= 5 and word[0] in _CLITICS:
        return light_stem(word[1:])
    return word


def bare_words(words: Iterable[str]) -> frozenset[str]:
    """The bare forms of `words` (numbers left out: `marsad.cluster.evidence` reads them)."""
    return frozenset(bare(w) for w in words if not w[0].isdigit())


@dataclass(slots=True, frozen=True)
class Slots:
    """What one document's title and lead say about its template and slot."""

    title: frozenset[str] = frozenset()  # bare content words of the title
    counterparty: frozenset[str] = frozenset()  # bare words after a template trigger
    vocabulary: frozenset[str] = frozenset()  # bare words of the whole text read (title + start)


NO_SLOTS = Slots()


def counterparty(words: list[str]) -> frozenset[str]:
    """The first non-filler words after each template trigger of `words` (content words, in order)."""
    out: set[str] = set()
    for i, word in enumerate(words):
        if word not in _TRIGGERS and bare(word) not in _TRIGGERS:
            continue
        kept = 0
        for follower in words[i + 1 : i + 1 + _SLOT_WINDOW]:
            b = bare(follower)
            if follower[0].isdigit() or b in _FILLERS or follower in _FILLERS or b in _TRIGGERS:
                continue
            out.add(b)
            kept += 1
            if kept == _SLOT_WORDS:
                break
    return frozenset(out)


def doc_slots(title: str | None, text: str, vocabulary: Iterable[str]) -> Slots:
    """The slots of one document; `vocabulary` the content words of everything read of it."""
    head = content_words(f"{title or ''}\n{text[:TITLE_LEAD_CHARS]}")
    return Slots(
        title=bare_words(content_words(title or "")),
        counterparty=counterparty(head),
        vocabulary=bare_words(set(vocabulary)),
    )


def _absent(words: frozenset[str], other: frozenset[str]) -> float:
    return len(words - other) / len(words) if words else 0.0


def slot_features(a: Slots, b: Slots) -> tuple[float, float]:
    """title_slot_miss, counterparty_miss of the pair (a, b); symmetric.

    title_slot_miss: the larger share, over both ways, of a title's own words (those the other title
    lacks) that the other text never gives; counterparty_miss: the larger share of one counterparty
    the other text never gives (0 unless both have one). Both are 0 when nothing tells the two apart,
    so a pair whose titles cannot be compared (two languages) reads as no evidence, not as a
    difference. (How many title words two titles share was measured as a feature too and dropped: a
    head trained on Arabic alone then split MMDS's cross-language stories, whose titles share none.)"""
    ta, tb = a.title, b.title
    slot = 0.0
    if ta and tb:
        slot = max(len((ta - tb) - b.vocabulary) / len(ta), len((tb - ta) - a.vocabulary) / len(tb))
    party = 0.0
    if a.counterparty and b.counterparty:
        party = max(_absent(a.counterparty, b.vocabulary), _absent(b.counterparty, a.vocabulary))
    return slot, party
