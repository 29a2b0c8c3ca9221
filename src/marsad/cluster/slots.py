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
- the **actor**: who acts in the title, the words before its statement verb («الإمارات تدين»,
  «أمير عسير ينقل تعازي») or before a short speaker prefix («ماليزيا: ...», «محامون: ...»). Two stages of
  one developing story told by two actors (one state's condemnation and another's, the search team's
  finding and the lawyers' claim) share topic, place and wording; the annotation counts one event per
  issuing party, so two titles whose actors the other text never names report two happenings.

Words are compared bare: normalized, the article and a one-letter clitic (و ب ل ف ك) stripped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from marsad.cluster.lexical import light_stem
from marsad.text.arabic import normalize
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
# Statement and action verbs a title's actor stands before (normalized spelling, both genders).
_ACTOR_VERBS = frozenset(
    normalize(w)
    for w in """
    تدين يدين تستنكر يستنكر تندد يندد تشجب يشجب تعرب يعرب تطالب يطالب تدعو يدعو تؤكد يؤكد تعلن يعلن
    ترحب يرحب تحث يحث تحذر يحذر تنفي ينفي تتهم يتهم ترفض يرفض تشيد يشيد تسعى يسعى تهدد يهدد تتوعد يتوعد
    تنقل ينقل تعزي يعزي تقدم يقدم تبحث يبحث تقرر يقرر تكشف يكشف تتبنى يتبنى تعتزم يعتزم
    condemns condemn urges urge calls warns warn denies deny announces announce welcomes welcome
    accuses accuse rejects reject vows vow demands demand
    """.split()
)
# Tags an outlet puts before a title («شاهد ..», «عاجل:»): not who acts.
_TAGS = frozenset(
    normalize(w) for w in "شاهد عاجل بالفيديو فيديو بالصور صور الآن حصري watch breaking video".split()
)
_ACTOR_WORDS = 4  # a title's actor is at most this many words before its verb
_SPEAKER_WORDS = 3  # or before a colon ("ماليزيا: ...")
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
    actor: frozenset[str] = frozenset()  # bare words of who acts in the title (`actor`)


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


def actor(title: str) -> frozenset[str]:
    """Who acts in `title`: the words before its first statement verb when it stands among the first
    `_ACTOR_WORDS` + 1 words, else a short speaker prefix before a colon; empty when neither. Titles
    and honorifics are left out («اللواء البلوي» -> البلوي) unless nothing else is left."""
    words = [w for w in content_words(title) if w not in _TAGS]
    named: list[str] = []
    for i, word in enumerate(words[: _ACTOR_WORDS + 1]):
        if i and word in _ACTOR_VERBS:
            named = words[:i]
            break
    else:
        speaker, colon, _ = title.partition(":")
        if colon and len(found := [w for w in content_words(speaker) if w not in _TAGS]) <= _SPEAKER_WORDS:
            named = found
    every = bare_words(named)
    return frozenset(w for w in every if w not in _FILLERS) or every


def doc_slots(title: str | None, text: str, vocabulary: Iterable[str]) -> Slots:
    """The slots of one document; `vocabulary` the content words of everything read of it."""
    head = content_words(f"{title or ''}\n{text[:TITLE_LEAD_CHARS]}")
    return Slots(
        title=bare_words(content_words(title or "")),
        counterparty=counterparty(head),
        vocabulary=bare_words(set(vocabulary)),
        actor=actor(title or ""),
    )


def _absent(words: frozenset[str], other: frozenset[str]) -> float:
    return len(words - other) / len(words) if words else 0.0


def actors_conflict(a: Slots, b: Slots) -> bool:
    """Two titles whose actors each go unnamed in the other text: two parties' statements or acts,
    hence two events (one event per issuing party), however alike their topic, place and wording."""
    return bool(a.actor and b.actor) and a.actor.isdisjoint(b.vocabulary) and b.actor.isdisjoint(a.vocabulary)


def slot_features(a: Slots, b: Slots) -> tuple[float, float, float]:
    """title_slot_miss, counterparty_miss, actor_miss of the pair (a, b); symmetric.

    title_slot_miss: the larger share, over both ways, of a title's own words (those the other title
    lacks) that the other text never gives; counterparty_miss: the larger share of one counterparty
    the other text never gives (0 unless both have one); actor_miss: the same for the titles' actors.
    All are 0 when nothing tells the two apart,
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
    acting = 0.0
    if a.actor and b.actor:
        acting = max(_absent(a.actor, b.vocabulary), _absent(b.actor, a.vocabulary))
    return slot, party, acting
