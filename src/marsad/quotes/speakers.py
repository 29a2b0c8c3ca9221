"""Choose a quote's speaker among the article's candidates: the attribution frame first, a learned
ranker where the frame says nothing.

For one quote, the options are the candidates (`marsad.quotes.candidates`) of its sentence, of the
three sentences before it, and of its sentence after it (lead quotes: «…»، قال فلان), plus the
speaker of the previous quote (a continuation: وأضاف, وتابع).

`frame_choice` reads the frame around the quote, as a reader does: the overt subject of the
speech verb that governs it (VSO: وقال فلان «…»; SVO: وكان فلان قد قال), the name in apposition to
a title (وقال الناطق ... العقيد ممدوح العنزي), the subject of the finite verb a participle hangs on
(وأكد الجبير ... مضيفا «…»), the verb after a lead quote; a speech word with no overt subject
(وأضاف: «…»), a title pronoun (معاليه, سموه) or a statement (وأضاف البيان) goes to who was speaking.
A name counts as a subject only when the entity tagger reads it as one (not متنهدا, فترة طويلة).

Only when the frame says nothing does `SpeakerRanker` choose: each option is described by binary
features (type and role, place relative to the quote, subject of the governing speech word, rank
among the options, a colon before the quote, gender agreement with the verb, previous speaker, and
pairs of these) scored by a conditional logit (`data/speaker-ranker.json`) trained on the "tune"
part of the SaudiNewsNet quote set by `bench/train_speakers.py` (see `data/NOTICE`).
"""

from __future__ import annotations

import json
import re
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from marsad.quotes.candidates import ArticleCandidates, Candidate, Speaker
from marsad.quotes.lexicon import (
    COMPLEMENTISERS,
    CONNECTORS,
    CONTINUATION,
    ORG_HEADS,
    PRONOUN_OBJECTS,
    RELAY,
    STOPS,
    TITLES,
    UNNAMED,
    common_word,
    fold,
)
from marsad.quotes.tokens import bare, feminine, speech_kind

WEIGHTS = "speaker-ranker.json"
_BACK = 3  # sentences before the quote's sentence where candidates are looked for
_BACK_CHARS = 900


@dataclass(slots=True, frozen=True)
class QuoteContext:
    """Where a quote stands: its span, sentence and paragraph, the speech word that governs it
    (`gov`, before it in its sentence; `post`, right after it), the gender that word shows, and
    whether an option is that word's overt subject."""

    start: int
    end: int
    sentence: int
    paragraph: int
    gov: int | None
    post: int | None
    female: bool | None
    frame: str


@dataclass(slots=True, frozen=True)
class Option:
    """One possible speaker of a quote and its features; `candidate` is None for the previous
    quote's speaker."""

    speaker: Speaker
    features: tuple[str, ...]
    candidate: Candidate | None


@dataclass(slots=True, frozen=True)
class Previous:
    """The speaker of the previous quote and where that quote ended."""

    speaker: Speaker
    end: int
    paragraph: int


def quote_context(cands: ArticleCandidates, start: int, end: int) -> QuoteContext:
    """The context of the quote spanning [start, end)."""
    doc = cands.doc
    sent = cands.sentence_of(start)
    lo = cands.sentences[sent]
    pre = doc.outside(lo, start)
    gov = next((k for k in reversed(pre) if _speech_word(cands, k)), None)
    post = None
    if gov is None:
        hi = cands.sentences[sent + 1] if sent + 1 < len(cands.sentences) else len(doc.text)
        post = next(
            (
                k
                for k in doc.outside(end, hi)[:4]
                if speech_kind(doc.norms[k]) == "verb" and _speech_word(cands, k)
            ),
            None,
        )
    word = gov if gov is not None else post
    female = feminine(doc.norms[word]) if word is not None else None
    if gov is None:
        frame = "post" if post is not None else "none"
    elif speech_kind(doc.norms[gov]) == "participle":
        frame = "part"
    elif bare(doc.norms[gov]) in RELAY:
        frame = "relay"
    elif bare(doc.norms[gov]) in CONTINUATION:
        frame = "cont"
    else:
        frame = "verb"
    return QuoteContext(start, end, sent, cands.paragraph_of(start), gov, post, female, frame)


# Speech verbs spelled like prepositions: بين (between / بيّن, he made clear), عبر (via / عبّر).
_PREPOSITION_HOMOGRAPHS = frozenset(fold(w) for w in "بين عبر".split())


def _speech_word(cands: ArticleCandidates, k: int) -> bool:
    """Is token `k` a speech word? بين and عبر (also with و/ف) only when they read as the verbs
    بيّن and عبّر (see `_homograph_verb`); a participle right after a finite speech verb is its
    subject noun (قالت متحدثة), not a participle of speaking."""
    doc = cands.doc
    norm = doc.norms[k]
    kind = speech_kind(norm)
    if not kind:
        return False
    after_verb = kind == "participle" and k > 0 and speech_kind(doc.norms[k - 1]) == "verb"
    if (
        after_verb
        and not doc.token_inside(k - 1)
        and not _CLAUSE_PUNCT.search(doc.text[doc.ends[k - 1] : doc.starts[k]])
    ):
        return False  # قالت متحدثة باسم الشرطة: the noun that is the verb's subject
    return bare(norm) not in _PREPOSITION_HOMOGRAPHS or _homograph_verb(cands, k)


def _homograph_verb(cands: ArticleCandidates, k: int) -> bool:
    """بيّن, عبّر rather than the prepositions بين, عبر: the word opens its clause (وبين, كما عبر;
    not على الحدود بين بلاده وسورية), is not the second member of بين ... وبين (بينه وبين لافروف),
    and عبّر has its complement عن (وعبر كيري عن أمله; not عبر فضائية, عبر اتصال)."""
    doc = cands.doc
    if not _clause_initial(cands, k):
        return False
    if (
        k > 0
        and doc.token_inside(k - 1)
        and not _CLAUSE_PUNCT.search(doc.text[doc.ends[k - 1] : doc.starts[k]])
    ):
        return False  # «…» بين البلدين: a preposition after the quote, not a new clause
    lo = max(doc.first_token(cands.sentences[cands.sentence_of(doc.starts[k])]), k - 6)
    if any(bare(doc.norms[j]).startswith("بين") for j in range(lo, k)):
        return False
    if bare(doc.norms[k]) == "عبر":
        after = doc.outside(doc.ends[k], doc.ends[k] + 120)[:6]
        return any(doc.norms[j] == "عن" for j in after)
    return True


def _subject_of_speech(cands: ArticleCandidates, cand: Candidate) -> bool:
    """The candidate is the overt subject of a real speech verb (not of بين / عبر as prepositions:
    بينه وبين لافروف, عبر فضائية)."""
    return cand.role in {"subj", "svo"} and cand.verb is not None and _speech_word(cands, cand.verb)


_GENDERS: weakref.WeakKeyDictionary[ArticleCandidates, dict[str, bool]] = weakref.WeakKeyDictionary()


def _genders(cands: ArticleCandidates) -> dict[str, bool]:
    """The gender the article gives each person: the agreement of the speech verbs whose subject
    the person is, or a feminine title (الفنانة), by majority over the article's mentions (وقالت
    هيلاري ... زوجها بيل ... فهي تقول: هيلاري is a woman, بيل is not known to be)."""
    known = _GENDERS.get(cands)
    if known is None:
        votes: dict[str, int] = {}
        for c in cands.items:
            if c.speaker.kind == "person" and c.female is not None:
                votes[c.speaker.name] = votes.get(c.speaker.name, 0) + (1 if c.female else -1)
        known = {name: v > 0 for name, v in votes.items() if v}
        _GENDERS[cands] = known
    return known


def female(cands: ArticleCandidates, cand: Candidate) -> bool | None:
    """The candidate's gender: shown by its own verb or title, else the one the article gives its
    speaker elsewhere."""
    if cand.female is not None:
        return cand.female
    return _genders(cands).get(cand.speaker.name)


@lru_cache(maxsize=4096)
def _words(name: str) -> frozenset[str]:
    return frozenset(fold(name).split())


def quote_options(cands: ArticleCandidates, ctx: QuoteContext, previous: Previous | None) -> list[Option]:
    """The options for the quote of `ctx`, each with its features."""
    doc = cands.doc
    first_sent = max(0, ctx.sentence - _BACK)
    lo = max(cands.sentences[first_sent], ctx.start - _BACK_CHARS)
    before = cands.between(lo, ctx.start)
    nxt = ctx.sentence + 1
    hi = cands.sentences[nxt] if nxt < len(cands.sentences) else len(doc.text)
    after = [c for c in cands.between(ctx.end, hi) if c.start >= ctx.end]
    gov_subject = any(c.verb is not None and c.verb == ctx.gov for c in before)
    frame = ctx.frame + ("_subj" if gov_subject else "") if ctx.frame in {"verb", "cont"} else ctx.frame
    prev_words = _words(previous.speaker.name) if previous else frozenset()
    options: list[Option] = []
    subj_seen = 0
    sentence_subject = next(
        (c for c in before if c.role in {"subj", "svo"} and cands.sentence_of(c.start) == ctx.sentence), None
    )
    for rank, cand in enumerate(reversed(before)):
        subj = _subject_of_speech(cands, cand)
        f = _common(cands, ctx, cand, frame, prev_words)
        loc = _loc(cands, ctx, cand)
        f.append(f"near={min(rank, 3)}")
        f.append(f"near={min(rank, 3)}|loc={loc}")
        if subj:
            f.append(f"near_subj={min(subj_seen, 2)}")
            f.append(f"near_subj={min(subj_seen, 2)}|frame={frame}")
            subj_seen += 1
        if cand is sentence_subject:
            f.append(f"sentence_subject|frame={frame}")
        gap = doc.text[cand.end : ctx.start]
        if len(gap) < 40 and gap.rstrip(' \u00a0«"“”»').endswith(":"):
            f.append("colon")
        options.append(Option(speaker_of(cands, cand), tuple(f), cand))
    for rank, cand in enumerate(after[:3]):
        f = _common(cands, ctx, cand, frame, prev_words)
        f.append(f"after_near={rank}")
        options.append(Option(speaker_of(cands, cand), tuple(f), cand))
    if previous is not None:
        d = ctx.start - previous.end
        dist = "d<80" if d < 80 else "d<300" if d < 300 else "d<1000" if d < 1000 else "far"
        f = ["bias", "t=prev", f"t=prev|frame={frame}", f"t=prev|{dist}", f"k={previous.speaker.kind}|t=prev"]
        if previous.paragraph != ctx.paragraph:
            f.append("t=prev|para")
        options.append(Option(previous.speaker, tuple(f), None))
    return options


# After an indefinite title, these open a complement that leaves it indefinite: متحدثة باسم الشرطة,
# مستشار في الوزارة, مسؤول لدى الأمم المتحدة (not وزير الخارجية, رئيس بلدية تشاتانوغا).
_INDEFINITE_LINKS = frozenset(fold(w) for w in "باسم في من عن لدى مع".split())
# Honorifics that are definite without ال (سمو, معالي): they refer to a known person.
_HONORIFICS = frozenset(fold(w) for w in "سمو صاحب معالي فضيلة سماحة جلالة فخامة سيادة د".split())


def _trimmed(cands: ArticleCandidates, speaker: Speaker) -> Speaker:
    """A person's name without trailing words that the name run took from the predicate (وحث العماد
    جان قهوجي عناصر الجيش, مايكل ستارلر محامي بيري): a title word, or common vocabulary that the
    tagger never gave as a name's."""
    words = speaker.name.split()
    cut = len(words)
    while cut > 2:
        last, before = fold(words[cut - 1]), fold(words[cut - 2])
        if before in CONNECTORS:
            break
        if bare(last) in TITLES or (common_word(last) and last not in cands.seed):
            cut -= 1
            continue
        break
    return speaker if cut == len(words) else Speaker(" ".join(words[:cut]), speaker.kind)


def speaker_of(cands: ArticleCandidates, cand: Candidate) -> Speaker:
    """Who the candidate stands for. A title alone that names nobody and only found its person by
    falling back on the last one named is, when indefinite (متحدثة باسم الشرطة البريطانية, مستشار
    للرئيس), a new unnamed source as written, not that person."""
    if cand.ctype != "title" or cand.resolved != "fallback":
        return _trimmed(cands, cand.speaker) if cand.speaker.kind == "person" else cand.speaker
    return _indefinite_title(cands, cand.first, cand.last) or cand.speaker


def _indefinite_title(cands: ArticleCandidates, first: int, last: int) -> Speaker | None:
    """The unnamed source that the title phrase of tokens first..last describes, when it is
    indefinite (متحدثة باسم الشرطة, مستشار للرئيس; not الوزير, سموه, وزير الخارجية)."""
    doc = cands.doc
    head = bare(doc.norms[first])
    if head.startswith("ال") or head in _HONORIFICS:
        return None
    if last > first:
        nxt = doc.norms[first + 1]
        if not (
            nxt in _INDEFINITE_LINKS or (nxt[:1] in "لب" and not nxt[1:].startswith("ال") and len(nxt) > 3)
        ):
            return None
    phrase = " ".join(doc.text[doc.starts[first] : doc.ends[last]].split())
    if doc.norms[first][:1] in "وف" and head != doc.norms[first]:
        phrase = phrase[1:]
    return Speaker(phrase, "unnamed")


def _phrase_last(
    cands: ArticleCandidates, first: int, end: int, most: int, goes_on: Callable[[str], bool]
) -> int:
    """The last token of a phrase opened at `first`: up to `most` more words for which `goes_on`
    holds, outside quotes, before `end`, with no punctuation between them."""
    doc = cands.doc
    last = first
    while (
        last + 1 < len(doc.norms)
        and last - first < most
        and doc.ends[last + 1] <= end
        and not doc.token_inside(last + 1)
        and not _PUNCT_BEFORE.search(doc.text[doc.ends[last] : doc.starts[last + 1]])
        and goes_on(doc.norms[last + 1])
    ):
        last += 1
    return last


def _title_subject(cands: ArticleCandidates, verb: int, end: int) -> Option | None:
    """An indefinite title right after the speech verb that the article resolved to nobody (no
    person of the verb's gender named before): قالت متحدثة باسم الشرطة «…» is an unnamed source."""
    doc = cands.doc
    j = verb + 1
    if j >= len(doc.norms) or doc.token_inside(j) or bare(doc.norms[j]) not in TITLES:
        return None
    ends = COMPLEMENTISERS | STOPS | _INDEFINITE_LINKS - {fold("باسم")}
    last = _phrase_last(cands, j, end, 5, lambda w: w not in ends)
    speaker = _indefinite_title(cands, j, last)
    return _overt(cands, j, last, speaker, verb) if speaker is not None else None


def _loc(cands: ArticleCandidates, ctx: QuoteContext, cand: Candidate) -> str:
    if cand.start >= ctx.end:
        return "after"
    return f"s{min(ctx.sentence - cands.sentence_of(cand.start), 3)}"


def _common(
    cands: ArticleCandidates, ctx: QuoteContext, cand: Candidate, frame: str, prev_words: frozenset[str]
) -> list[str]:
    loc = _loc(cands, ctx, cand)
    t, r = cand.ctype, cand.role
    if r in {"subj", "svo"} and not _subject_of_speech(cands, cand):
        r = "other"  # the "verb" is a preposition (بين رجل وامرأة, عبر فضائية)
    f = [
        "bias",
        f"t={t}",
        f"r={r}",
        f"loc={loc}",
        f"t={t}|loc={loc}",
        f"r={r}|loc={loc}",
        f"r={r}|frame={frame}",
        f"loc={loc}|frame={frame}",
        f"t={t}|how={cand.resolved}",
        f"k={cand.speaker.kind}",
    ]
    if cand.verb is not None and cand.verb == ctx.gov:
        f.append("gov_subj")
    if cand.verb is not None and cand.verb == ctx.post:
        f.append("post_subj")
    fem = female(cands, cand)
    if ctx.female is not None and fem is not None:
        f.append("gender_match" if ctx.female == fem else "gender_mismatch")
    if cands.paragraph_of(cand.start) != ctx.paragraph:
        f.append("para")
    if cand.ner:
        f.append("ner")
    # What the learned entity tagger says of the phrase: a name the tagger does not see as a person
    # or organisation is often a common word caught after a speech verb (معاناة المجتمع, متنهدا).
    f.append(f"crf={cand.crf or 'none'}|t={t}")
    f.append(f"crf={cand.crf or 'none'}|k={cand.speaker.kind}")
    if cand.crf_exact:
        f.append("crf_exact")
    if cand.alias:
        f.append("alias")
    if cand.known:
        f.append(f"known|t={t}")
    else:
        f.append(f"unknown|t={t}|r={r}")
    words = len(cand.speaker.name.split())
    f.append(f"t={t}|words={min(words, 3)}")
    raw = cands.doc.text[cand.start : cand.end]
    if raw.endswith("ه") and not raw.endswith("الله") and t == "name":
        f.append("pronoun_suffix")
    if prev_words and _words(cand.speaker.name) == prev_words:
        f.append("is_prev")
        f.append(f"is_prev|frame={frame}")
    if cand.speaker.kind == "person":
        last = fold(cand.speaker.name.rsplit(None, 1)[-1])
        if cands.counts.get(last, 0) >= 2:
            f.append("recurs")
    return f


class SpeakerRanker:
    """A linear scorer over option features, loaded from the package's JSON weights."""

    def __init__(self, weights: dict[str, float]) -> None:
        self.weights = weights

    @classmethod
    def load(cls, path: Path | None = None) -> SpeakerRanker:
        """The shipped weights, or those at `path`."""
        if path is None:
            raw = resources.files("marsad.quotes").joinpath("data", WEIGHTS).read_text(encoding="utf-8")
        else:
            raw = path.read_text(encoding="utf-8")
        data = json.loads(raw)
        return cls({str(k): float(v) for k, v in data["weights"].items()})

    def score(self, features: Sequence[str]) -> float:
        w = self.weights
        return sum(w.get(f, 0.0) for f in features)

    def choose(self, options: Sequence[Option]) -> Option | None:
        """The option with the highest score (the first on ties), None when there is none."""
        best: Option | None = None
        best_score = float("-inf")
        for option in options:
            s = self.score(option.features)
            if s > best_score:
                best, best_score = option, s
        return best


def tagged_name(cand: Candidate) -> bool:
    """The tagger reads the candidate's name as a person's."""
    if cand.name_crf == "person" or cand.ner or cand.crf_exact or cand.alias:
        return True
    # وقال رئيس بلدية تشاتانوغا اندي بيرك: a name of two words or more right after the title of
    # the speech verb's subject (or right before the title of a subject named before its verb:
    # لكن اياد البزم المتحدث باسم الوزارة قال), none in the accusative (الوزير اتصالا تليفونيا),
    # not a genitive (الأمين العام لرابطة العالم الإسلامي).
    words = fold(cand.speaker.name).split()
    return (
        cand.ctype == "titled"
        and cand.role in {"subj", "svo"}
        and cand.name_crf != "place"
        and len(words) >= 2
        and not any(w.endswith("ا") for w in words)
        and not words[0].startswith("ل")
    )


def credible(cand: Candidate) -> bool:
    """A candidate that can stand as the overt subject of a speech verb: a title, organisation,
    statement or unnamed source, or a name the tagger reads as a person's (not متنهدا, فترة طويلة,
    لقوى). A title with words after it that the tagger does not read as a name is no evidence."""
    if cand.ctype not in {"name", "titled"}:
        return True
    return tagged_name(cand)


_SUBJECT_ROLES = frozenset({"subj", "svo", "according"})


def _last_speaker(
    cands: ArticleCandidates,
    ctx: QuoteContext,
    options: Sequence[Option],
    previous: Previous | None,
    before: int,
    *,
    persons: bool = False,
) -> Option | None:
    """Who goes on speaking at a speech word with no overt subject that starts at `before` (وقال:
    «…», وأضاف «…», قالت إن «…», معاليه, وأضاف البيان): the previous quote's speaker, unless a
    credible subject of a speech verb or cue (ويرى نهاد علي أوزكان, بحسب الدكتور سيتهول) or a
    person introduced with a title stands between that quote and the speech word. The gender of the
    governing verb must agree; `persons` keeps persons only (سموه, معاليه)."""
    prev = next((o for o in options if o.candidate is None), None)
    for o in options:
        c = o.candidate
        if c is None or c.end > before:
            continue
        if previous is not None and previous.end > c.end:
            break
        if not credible(c) or c.resolved != "name":
            continue
        if c.role not in _SUBJECT_ROLES and c.ctype != "titled":
            continue
        if c.role in {"subj", "svo"} and c.ctype != "titled" and not _subject_of_speech(cands, c):
            continue
        fem = female(cands, c)
        if ctx.female is not None and fem is not None and ctx.female != fem:
            continue
        if persons and c.speaker.kind != "person":
            continue
        return o
    if prev is not None and (not persons or prev.speaker.kind == "person"):
        known = _genders(cands).get(prev.speaker.name)
        if ctx.female is not None and known is not None and known != ctx.female:
            return None  # قالت after a man's quote: not him going on
        return prev
    return None


def _subject(
    cands: ArticleCandidates,
    ctx: QuoteContext,
    options: Sequence[Option],
    previous: Previous | None,
    verb: int,
    end: int,
) -> Option | None:
    """The overt subject of the speech verb at token `verb`, its phrase running to `end` (the quote,
    a colon or a complementiser): the candidate the verb governs (وقال الوزير, وكان خامنئي قد
    قال). A guess (a bare title resolved by the last person, a word the tagger does not read as a
    name: لقوى, منطقة مكة المكرمة) yields to the name in apposition later in the same phrase (وقال
    الناطق الإعلامي بمديرية الدفاع المدني العقيد ممدوح العنزي); a title pronoun (معاليه, سموه) or
    a statement (وأضاف البيان) refers to who is speaking. With no overt subject (وأضاف: «…»), who
    is speaking."""
    doc = cands.doc
    at = doc.starts[verb]
    in_sentence = [
        o
        for o in options
        if o.candidate is not None
        and o.candidate.start < ctx.start
        and cands.sentence_of(o.candidate.start) == ctx.sentence
    ]
    stop = next(
        (
            k
            for k in range(verb + 1, doc.first_token(end))
            if doc.norms[k] in COMPLEMENTISERS or ":" in doc.text[doc.ends[k] : doc.starts[k + 1]]
        ),
        None,
    )
    limit = doc.ends[stop] if stop is not None else end
    if bare(doc.norms[verb]) in RELAY:
        # ونقلت صحيفة «حرييت» عن إردوغان قوله: «…»: the speaker is who the relay quotes (after
        # عن), not the outlet or agency that relays; عنه / عنها: who was speaking.
        relayed = [o for o in in_sentence if o.candidate is not None and o.candidate.role == "relay"]
        relayed = [o for o in relayed if o.candidate is not None and o.candidate.start > at]
        if relayed:
            return min(relayed, key=lambda o: o.candidate.start if o.candidate else 0)
        if any(doc.norms[k] in PRONOUN_OBJECTS for k in doc.outside(at, end)):
            return _last_speaker(cands, ctx, options, previous, at)
    governed = [o for o in in_sentence if o.candidate is not None and o.candidate.verb == verb]
    if not governed or governed[0].candidate is None:
        edge = min(limit, ctx.start)
        overt = (
            _place_subject(cands, verb, edge)
            or _marked_subject(cands, verb, edge)
            or _collective_subject(cands, verb, edge)
            or _title_subject(cands, verb, edge)
        )
        if overt is not None:
            return overt
        return _sentence_subject(cands, ctx, in_sentence, at) or _last_speaker(
            cands, ctx, options, previous, at
        )
    subj = governed[0]
    head = governed[0].candidate
    if head.ctype == "title_pronoun":
        return _last_speaker(cands, ctx, options, previous, min(at, head.start), persons=True) or subj
    if head.ctype == "statement" and head.resolved == "head":
        return _last_speaker(cands, ctx, options, previous, min(at, head.start)) or subj
    if head.ctype == "name" and not tagged_name(head):
        place = _place_subject(cands, verb, min(limit, ctx.start))
        if place is not None:
            return place  # حيث اعلنت لندن عن: the state, not a person named لندن
    if head.resolved == "name" and (tagged_name(head) or _bare_subject(cands, head)):
        return subj
    apposed = [
        o
        for o in in_sentence
        if o.candidate is not None
        and head.end <= o.candidate.start
        and o.candidate.end <= limit
        and o.candidate.resolved == "name"
        and o.speaker.kind == "person"
        and tagged_name(o.candidate)
    ]
    if apposed:
        return min(apposed, key=lambda o: o.candidate.start if o.candidate else 0)
    if credible(head):
        return subj
    # حسين عطية - بائع عطور - يقول, وحرصت حسيب على ... وتقول: the sentence's subject before the
    # phrase that is no name.
    before = [
        o
        for o in in_sentence
        if o.candidate is not None
        and o.candidate.end <= head.start
        and o.candidate.role != "prep"
        and o.candidate.resolved == "name"
        and credible(o.candidate)
    ]
    return before[0] if before else _last_speaker(cands, ctx, options, previous, min(at, head.start))


_RELATIVES = frozenset(fold(w) for w in "الذي التي الذين اللذين اللتين اللواتي".split())
_PLACE_SKIP = frozenset(fold(w) for w in "أمس امس اليوم أيضا ايضا كذلك بدورها بدوره قد".split())


def _place_subject(cands: ArticleCandidates, verb: int, end: int) -> Option | None:
    """A country or capital that the tagger gives as a place, as the overt subject of the speech
    verb (واعتبرت الولايات المتحدة ... أن, وأكدت موسكو): the state speaking through its name, an
    organisation (the guidelines' metonymy rule). Only right after the verb, before `end`."""
    doc = cands.doc
    if verb > 0 and doc.norms[verb - 1] in _RELATIVES:
        return None  # الصحف التي اتهمت فرنسا: the subject is before the relative, فرنسا the object
    j = verb + 1
    while j < len(doc.norms) and doc.norms[j] in _PLACE_SKIP:
        j += 1
    span = cands.crf.get(j)
    if span is None or span[0] != "place" or span[1] != j or doc.ends[span[2]] > end:
        return None
    if any(doc.token_inside(t) for t in range(j, span[2] + 1)):
        return None
    if _PUNCT_BEFORE.search(doc.text[doc.ends[verb] : doc.starts[j]]):
        return None
    name = " ".join(doc.text[doc.starts[j] : doc.ends[span[2]]].split())
    if doc.norms[j][:1] == "و" and doc.text[doc.starts[j]] == "و" and not name.startswith("وا"):
        return None  # وقال وسوريا ...: a coordination, not a subject
    speaker = Speaker(name, "org")
    return _overt(cands, j, span[2], speaker, verb)


def _overt(cands: ArticleCandidates, first: int, last: int, speaker: Speaker, verb: int) -> Option:
    """An option for a subject that is no candidate of the article (a place, a name in marks, a
    collective)."""
    doc = cands.doc
    crf = "place" if speaker.kind == "org" and cands.crf.get(first, ("",))[0] == "place" else ""
    cand = Candidate(
        first,
        last,
        doc.starts[first],
        doc.ends[last],
        {"org": "org", "unnamed": "unnamed"}.get(speaker.kind, "name"),
        speaker,
        "subj",
        verb,
        feminine(doc.norms[verb]),
        "name",
        False,
        True,
        crf,
    )
    return Option(speaker, ("bias",), cand)


# Nominative endings: a subject right after its verb is a plural in ون or a dual in ان (not the
# genitive ين of بين البلدين, nor a singular like الأمين).
_PLURAL_ENDS = ("ون", "ان")


_NAMED_HEADS = TITLES | ORG_HEADS | UNNAMED


def _collective_subject(cands: ArticleCandidates, verb: int, end: int) -> Option | None:
    """A definite plural or dual noun right after the speech verb, with its definite adjectives
    (وندد المشاركون, ويقول الزعيمان الكرديان, وقال الباحثون): a collective, unnamed source, when
    the tagger reads no entity there."""
    doc = cands.doc
    j = verb + 1
    while j < len(doc.norms) and doc.norms[j] in _PLACE_SKIP:
        j += 1
    if j >= len(doc.norms) or doc.token_inside(j) or j in cands.crf:
        return None
    w = doc.norms[j]
    if not (w.startswith("ال") and len(w) >= 6 and w.endswith(_PLURAL_ENDS)) or w in _NAMED_HEADS:
        return None
    if _PUNCT_BEFORE.search(doc.text[doc.ends[verb] : doc.starts[j]]):
        return None
    last = _phrase_last(cands, j, end, 2, lambda w: w.startswith("ال") and w.endswith(_PLURAL_ENDS))
    if doc.ends[last] > end:
        return None
    name = " ".join(doc.text[doc.starts[j] : doc.ends[last]].split())
    return _overt(cands, j, last, Speaker(name, "unnamed"), verb)


def _marked_subject(cands: ArticleCandidates, verb: int, end: int) -> Option | None:
    """A name set in quotation marks right after the speech verb (وقال "تجمع اهالي المعتقلين" في
    بيان, ولفت "الزمهري" إلى أنه): outlets mark names (guidelines, skip class N), and such a name is
    the verb's subject. An organisation when it opens with a body's head word or the tagger reads it
    as one, else a person, in the fullest form the article gives that name."""
    doc = cands.doc
    for said in {doc.norms[verb], bare(doc.norms[verb])}:
        if (said.endswith("ه") and speech_kind(said[:-1])) or (
            said.endswith("ها") and speech_kind(said[:-2])
        ):
            return None  # ما وصفه "تضليل برتران": the verb's object, not its subject
    j = verb + 1
    while j < len(doc.norms) and doc.norms[j] in _PLACE_SKIP:
        j += 1
    if j >= len(doc.norms) or not doc.token_inside(j):
        return None
    span = next((sp for sp in doc.spans if sp[0] <= doc.starts[j] < sp[1]), None)
    if span is None or span[1] > end or doc.text[doc.ends[verb] : span[0]].strip(' \u00a0"«“”»'):
        return None
    toks = [t for t in range(j, doc.first_token(span[1])) if doc.ends[t] <= span[1]]
    if not 1 <= len(toks) <= 8 or any(
        speech_kind(doc.norms[t]) or doc.norms[t] in COMPLEMENTISERS for t in toks
    ):
        return None
    name = " ".join(doc.text[span[0] : span[1]].split()).strip(" .،,")
    if not name or any(
        c.start >= span[1] and not doc.text[span[1] : c.start].strip(' \u00a0"«“”»')
        for c in cands.between(span[1], span[1] + 200)
    ):
        return None  # كما كتبت "التويترية" نورة عبدالعزيز: a description before the name
    kinds = {cands.crf[t][0] for t in toks if t in cands.crf}
    head = bare(doc.norms[toks[0]])
    if head in ORG_HEADS or "org" in kinds:
        speaker = Speaker(name, "org")
    elif "person" in kinds or (
        all(not common_word(doc.norms[t]) for t in toks)
        and (len(toks) > 1 or doc.norms[toks[0]] in cands.lexicon)
    ):
        speaker = Speaker(cands.fullest(name), "person")
    else:
        return None  # وقال "الحل الوحيد" ...: words, not a name
    return _overt(cands, toks[0], toks[-1], speaker, verb)


_CLAUSE_PUNCT = re.compile(r"[,،:;؛.!?؟\n]")
_PUNCT_BEFORE = re.compile(r"[,،:;؛.()\"«»“”\n!?؟]")


def _sentence_subject(
    cands: ArticleCandidates, ctx: QuoteContext, in_sentence: Sequence[Option], before: int
) -> Option | None:
    """The subject of an earlier verb of the quote's sentence, shared by a later speech verb with no
    overt subject (وصف رئيس الوزراء ... بنيامين نتنياهو، الخطاب ...، وقال إنه «…», وحرصت حسيب على
    ... وتقول «…»): the nearest credible name, title or body of the sentence before it that is the
    subject of a speech verb or comes right after the sentence's first word (its verb)."""
    doc = cands.doc
    opening = doc.first_token(cands.sentences[ctx.sentence])
    head = bare(doc.norms[opening]) if opening < len(doc.norms) else ""
    subjects: list[Option] = []
    for o in sorted(in_sentence, key=lambda o: o.candidate.start if o.candidate else 0):
        c = o.candidate
        if c is None or c.end > before or c.role == "prep" or not credible(c):
            continue
        if c.resolved not in {"name", "title"}:
            continue
        fem = female(cands, c)
        if ctx.female is not None and fem is not None and ctx.female != fem:
            continue
        if _subject_of_speech(cands, c) or (
            c.first == opening + 1 and head not in STOPS and not speech_kind(head)
        ):
            subjects.append(o)
    # ووجد الإداري إبراهيم المغنم ...، إلا أن الغامدي أشار ... وقال: the nearest subject.
    return subjects[-1] if subjects else None


_CLAUSE_OPENERS = frozenset(fold(w) for w in "كما فيما بينما ثم قد لقد حيث فقد وقد كذلك بدوره بدورها".split())


def _clause_initial(cands: ArticleCandidates, verb: int) -> bool:
    """Does the finite verb at token `verb` open its clause (وقال, «…». قال, كما أكد), as a verb
    with its subject after it does, rather than sit inside a phrase (القرقاح عبر اتصال)?"""
    doc = cands.doc
    if verb == 0 or doc.norms[verb][:1] in "وف":
        return True
    gap = doc.text[doc.ends[verb - 1] : doc.starts[verb]]
    return bool(gap.strip()) or doc.norms[verb - 1] in _CLAUSE_OPENERS or doc.token_inside(verb - 1)


_SUBJECT_ENDS = frozenset(fold(w) for w in "من في لـ ل".split()) | COMPLEMENTISERS


def _bare_subject(cands: ArticleCandidates, cand: Candidate) -> bool:
    """A name the tagger missed, read as the overt subject of the speech verb right before it
    (ويرى نهاد علي أوزكان من مركز ..., وبينت وجدان بوقس أنه): two or three words, none in the
    accusative (حلاً سلمياً) or opened by the preposition لـ, none common vocabulary the article
    gives no name with (فرع, يطلق), closed by a complementiser, a preposition or punctuation."""
    doc = cands.doc
    if cand.ctype != "name" or cand.role != "subj" or cand.name_crf in {"place", "org"}:
        return False
    if cand.verb is None or not _clause_initial(cands, cand.verb):
        return False  # وقال القرقاح عبر اتصال أجرته: عبر is a preposition there, not a verb
    words = doc.norms[cand.first : cand.last + 1]
    if not 2 <= len(words) <= 3 or any(w.endswith("ا") for w in words) or words[0].startswith("ل"):
        return False  # لوجود الكثير: the complement of أشار لـ, not its subject
    if any(common_word(w) and w not in cands.seed for w in words):
        return False  # وقال التنظيم، عبر فرع يطلق على نفسه: common words, not a name
    nxt = cand.last + 1
    if nxt >= len(doc.norms):
        return True
    gap = doc.text[doc.ends[cand.last] : doc.starts[nxt]]
    return bool(gap.strip()) or doc.norms[nxt] in _SUBJECT_ENDS


# Nouns of uttered words whose genitive is who uttered them: هتافات المصلين «…», سؤال أحد الأعراب: «…».
_SPEECH_NOUNS = frozenset(
    fold(w) for w in "هتافات هتاف صيحات سؤال تساؤل شعار شعارات عبارة كلمات نداء نداءات".split()
)


def _speech_noun_author(
    cands: ArticleCandidates, ctx: QuoteContext, options: Sequence[Option]
) -> Option | None:
    """The genitive right after the last noun of uttered words between the quote's governing verb
    (or its sentence start) and the quote: تخللته هتافات المصلين «الموت لأميركا» و«…» (the
    worshippers, not the speaker of the sentence's verb), على سؤال أحد الأعراب: «…»."""
    doc = cands.doc
    toks = doc.outside(cands.sentences[ctx.sentence], ctx.start)
    if ctx.gov is not None and speech_kind(doc.norms[ctx.gov]) == "verb":
        toks = [k for k in toks if k > ctx.gov]
    nouns = [k for k in toks if bare(doc.norms[k]) in _SPEECH_NOUNS]
    if not nouns:
        return None
    noun = nouns[-1]
    for o in options:
        c = o.candidate
        if (
            c is not None
            and c.first == noun + 1
            and c.end <= ctx.start
            and c.speaker.kind in {"person", "unnamed", "org"}
            and not c.ctype.startswith("title")
        ):
            return o
    return None


def frame_choice(
    cands: ArticleCandidates, ctx: QuoteContext, options: Sequence[Option], previous: Previous | None = None
) -> Option | None:
    """The speaker the attribution frame of the quote states: the overt subject of the speech verb
    that governs it (وقال الوزير «…», وكان خامنئي قد قال «…»), of the finite verb a participle
    hangs on (وأكد الجبير ... مضيفا «…»), of the verb right after a lead quote («…»، قال فلان), or,
    when that verb has no overt subject (وأضاف: «…»), who goes on speaking. None when the frame says
    nothing (no speech word), for the learned ranker to decide."""
    doc = cands.doc
    author = _speech_noun_author(cands, ctx, options)
    if author is not None:
        return author
    if ctx.frame in {"verb", "cont"} and ctx.gov is not None:
        return _subject(cands, ctx, options, previous, ctx.gov, ctx.start)
    if ctx.frame == "relay":
        relayed = [
            o
            for o in options
            if o.candidate is not None
            and o.candidate.role == "relay"
            and o.candidate.start < ctx.start
            and cands.sentence_of(o.candidate.start) == ctx.sentence
        ]
        return relayed[0] if relayed else None
    if ctx.frame == "part" and ctx.gov is not None:
        # A participle (مضيفا, قائلا) shares the subject of the first finite speech verb of its
        # sentence (وأكد الجبير ... مضيفا), or goes on with who is speaking.
        lo = cands.sentences[ctx.sentence]
        verb = next(
            (
                k
                for k in doc.outside(lo, doc.starts[ctx.gov])
                if speech_kind(doc.norms[k]) == "verb" and _speech_word(cands, k)
            ),
            None,
        )
        if verb is not None:
            return _subject(cands, ctx, options, previous, verb, doc.starts[ctx.gov])
        # وتختصر دلال بدر المطيري تعليقها ... بقولها: the subject of the sentence's first verb.
        at = doc.starts[ctx.gov]
        in_sentence = [
            o
            for o in options
            if o.candidate is not None
            and o.candidate.start < at
            and cands.sentence_of(o.candidate.start) == ctx.sentence
        ]
        return _sentence_subject(cands, ctx, in_sentence, at) or _last_speaker(
            cands, ctx, options, previous, at
        )
    if ctx.frame == "post" and ctx.post is not None:
        after = [
            o
            for o in options
            if o.candidate is not None and o.candidate.verb == ctx.post and credible(o.candidate)
        ]
        return after[0] if after else None
    return None
