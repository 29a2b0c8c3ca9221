"""Arabic direct quotes and their speakers.

For each marked span (see `marks`, missing marks recovered):
1. Is it a quote? Long spans are, unless a cue names a work or an outlet (بعنوان, صحيفة, لـ«…»);
   short spans need a reporting word in their sentence or a colon or complementiser before them,
   and must not be a name the entity recognizer found or a label after a cue (عملية, ما يسمى).
2. Who said it? The reporting word that governs it is the last speech word of its sentence before
   it (or, for lead quotes, the one right after it: «…»، قال فلان). A finite verb's subject is the
   noun phrase after it (VSO: وقال وزير الخارجية عادل الجبير), or a name right before it (وكان
   خامنئي قال); a participle or masdar (قائلا, مضيفا, بقوله) and a verb without an overt subject
   take the subject of their sentence, else the last speaker (وأضاف, وتابع, ونقلت عنه ... قوله).
3. The subject phrase becomes a speaker: a person (the entity recognizer's mention if it lies in
   the phrase, else the name after the title words), a title alone (الوزير, المتحدث, سموه)
   resolved to the person introduced with that title or the last speaker, an organisation
   (الوزارة, البيان -> the full name the article gave it), an unnamed source as written (مصدر
   مسؤول), never an agency credited for the article (رويترز, واس) nor a word of the attribution
   phrase (في بيان, قوله). Person names are given in their fullest form found in the article.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from marsad.entities.records import Mention
from marsad.quotes.lexicon import (
    AGENCIES,
    COMPLEMENTISERS,
    CONNECTORS,
    ORG_HEADS,
    PARTICIPLES,
    PRONOUN_OBJECTS,
    RELAY,
    SKIP_CUES,
    STOPS,
    TATWEEL,
    TITLE_PRONOUNS,
    TITLES,
    UNNAMED,
    VERBS,
    WORD,
    fold,
)
from marsad.quotes.marks import QuotedSpan, find_quoted_spans

_LONG = 5  # words: a longer marked span is a quote unless a cue says it names something
_BOUNDARY = frozenset(".!?\n")


@dataclass(slots=True, frozen=True)
class Speaker:
    """Who said a quote: `kind` is person, org, unnamed or None (unknown)."""

    name: str
    kind: str
    key: str | None = None


@dataclass(slots=True, frozen=True)
class ArabicQuote:
    start: int
    end: int
    speaker: Speaker | None
    verb: str | None
    continuation: bool


def _bare(word: str) -> str:
    """A folded word without the conjunction و/ف (وقال -> قال), when what stays is a known word."""
    return word[1:] if word[:1] in "وف" and len(word) > 3 else word


class _Text:
    """Folded tokens of one text with offsets, and which characters lie inside quote spans."""

    def __init__(self, text: str, spans: Sequence[QuotedSpan]) -> None:
        self.text = text
        folded = fold(text)
        self.norms: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        for m in WORD.finditer(folded):
            self.norms.append(m.group(0).replace(TATWEEL, ""))
            self.starts.append(m.start())
            self.ends.append(m.end())
        self.spans = sorted((s.start, s.end) for s in spans)
        self._span_starts = [s for s, _ in self.spans]

    def inside(self, pos: int) -> bool:
        k = bisect.bisect_right(self._span_starts, pos) - 1
        while k >= 0:
            s, e = self.spans[k]
            if s <= pos < e:
                return True
            k -= 1
            if k >= 0 and self.spans[k][1] < pos - 3000:
                break
        return False

    def first_token(self, pos: int) -> int:
        return bisect.bisect_left(self.starts, pos)

    def sentence_start(self, pos: int) -> int:
        """Start of the sentence holding `pos`; boundaries inside quotes do not count, except a
        quote ending with a full stop (… بأكملها.” وأضاف)."""
        text = self.text
        i = pos - 1
        while i > 0:
            ch = text[i]
            if ch == "\n":
                return i + 1
            if (
                ch in _BOUNDARY
                and (i + 1 >= len(text) or text[i + 1] in " \n\u00a0\"”»«“'")
                and not self.inside(i)
            ) and (ch != "." or not text[i - 1 : i].isdigit()):
                return i + 1
            i -= 1
        return 0

    def sentence_end(self, pos: int) -> int:
        text = self.text
        for i in range(pos, min(len(text), pos + 600)):
            ch = text[i]
            if ch == "\n" or (ch in _BOUNDARY and not self.inside(i)):
                return i
        return min(len(text), pos + 600)

    def outside(self, lo: int, hi: int) -> list[int]:
        """Indices of the tokens in [lo, hi) that are not inside a quote span."""
        a, b = self.first_token(lo), self.first_token(hi)
        return [k for k in range(a, b) if self.ends[k] <= hi and not self.inside(self.starts[k])]


def _speech(norm: str) -> str | None:
    """'verb', 'participle' or None for a folded token."""
    for w in (norm, _bare(norm)):
        if w in PARTICIPLES:
            return "participle"
        if w in VERBS:
            return "verb"
    return None


class ArabicAttributor:
    """Quotes and speakers of one Arabic text, given its entity mentions."""

    def __init__(self, text: str, mentions: Sequence[Mention]) -> None:
        self.spans = [s for s in find_quoted_spans(text, recover=True) if WORD.search(text[s.start : s.end])]
        self.doc = _Text(text, self.spans)
        self.text = text
        self.persons = [m for m in mentions if m.kind == "person"]
        self.named = [m for m in mentions if m.kind in {"person", "org", "agency", "place"}]
        self.titled: list[tuple[int, frozenset[str], Speaker]] = []  # (pos, title words, person)
        self.orgs: list[tuple[int, str, Speaker]] = []  # (pos, head without ال, org)
        self.names: list[str] = [m.text for m in self.persons]
        self.token_counts: dict[str, int] = {}
        for norm in self.doc.norms:
            self.token_counts[norm] = self.token_counts.get(norm, 0) + 1
        self.token_counts = {}
        for norm in self.doc.norms:
            self.token_counts[norm] = self.token_counts.get(norm, 0) + 1
        self.persons = [m for m in self.persons if self._plausible(m.text)]
        self.lexicon: set[str] = set()
        for m in self.persons:
            self.lexicon.update(fold(m.text).split())
        self._harvest()
        self.last: Speaker | None = None
        self.last_unnamed: Speaker | None = None

    # ---- detection -------------------------------------------------------------------------
    def _is_quote(self, span: QuotedSpan, governed: bool) -> bool:
        doc = self.doc
        inner = [k for k in range(doc.first_token(span.start), doc.first_token(span.end))]
        words = len(inner)
        before = doc.first_token(span.start) - 1
        prev = doc.norms[before] if before >= 0 and doc.ends[before] >= span.start - 4 else ""
        gap = self.text[doc.ends[before] : span.start] if before >= 0 else ""
        if prev in SKIP_CUES or _bare(prev) in SKIP_CUES or (prev in {"ل", "ب"} and "ـ" in gap + prev):
            return words > 12 and governed and prev not in {"بعنوان", "عنوان"}
        if prev in {"ل"} or gap.strip().endswith("لـ"):
            return False
        if any(m.start <= span.start and m.end >= span.end for m in self.named) and words <= 4:
            return False
        if span.missing:
            return words >= 3 and governed
        if words >= _LONG:
            return True
        colon = gap.strip().endswith(":") or prev in COMPLEMENTISERS
        return governed or colon

    # ---- speaker phrases -------------------------------------------------------------------
    def _mention_in(self, lo: int, hi: int, pool: Sequence[Mention]) -> Mention | None:
        return next((m for m in pool if lo <= m.start and m.end <= hi), None)

    def _phrase(self, toks: list[int], limit: int, *, trusted: bool = False) -> tuple[Speaker | None, str]:
        """The speaker named by the noun phrase starting at `toks[0]` (before `limit`), and what the
        phrase was: 'speaker', 'pronoun' (عنه), 'agency', 'none'."""
        doc = self.doc
        toks = [k for k in toks if doc.starts[k] < limit][:10]
        # Skip short adverbials between a verb and its subject ("قد", "أيضا", "اليوم").
        while toks and (
            doc.norms[toks[0]] in {"قد", "ايضا", "كذلك", "بدوره", "بدورها", "اليوم", "امس", "ل"}
            or (
                doc.norms[toks[0]].startswith("ل")
                and fold(doc.norms[toks[0]][1:])
                in {"صحافيين", "صحفيين", "وكالة", "قناة", "صحيفة", "موقع", "شبكة", "اذاعة"}
            )
        ):
            toks = toks[1:]
        if not toks:
            return None, "none"
        head = doc.norms[toks[0]]
        if head in PRONOUN_OBJECTS:
            return None, "pronoun"
        if head in AGENCIES or _bare(head) in AGENCIES:
            return None, "agency"
        if (
            head in STOPS
            or _speech(head)
            or head.startswith(("لل", "بال"))
            or (head[:1] in "ل" and len(head) > 2 and fold(head[1:]) in AGENCIES | ORG_HEADS)
        ):
            return None, "none"
        # The run of the phrase: up to a stop word, a speech word or punctuation.
        run = [toks[0]]
        for k in toks[1:]:
            gap = self.text[doc.ends[run[-1]] : doc.starts[k]]
            if any(c in gap for c in ',،:;؛.()"«»“”\n') or doc.norms[k] in STOPS or _speech(doc.norms[k]):
                break
            if (doc.norms[k][:1] in "لب" and doc.norms[k][1:2] == "ل") or len(doc.norms[k]) == 1:
                break
            run.append(k)
        lo, hi = doc.starts[run[0]], doc.ends[run[-1]]
        person = self._mention_in(lo, hi, self.persons)
        if person is None and run:
            # A recognizer mention that starts in the run and runs on past it (a longer name).
            person = next((m for m in self.persons if lo <= m.start < hi), None)
        if head in TITLE_PRONOUNS:
            return self._by_title(frozenset(), lo), "speaker"
        if (head in UNNAMED and not head.startswith("ال")) or head in {
            "الاهالي",
            "المصلين",
            "المصلون",
            "البعض",
        }:
            words = [k for k in run[:3]]
            return Speaker(self.text[doc.starts[words[0]] : doc.ends[words[-1]]], "unnamed"), "speaker"
        if head in {"المصدر", "المصادر", "المحقق"}:
            return (self.last_unnamed or Speaker(self.text[lo:hi], "unnamed")), "speaker"
        if head in ORG_HEADS or (
            head.startswith("ال") and "ال" + head[2:] in ORG_HEADS and head in ORG_HEADS
        ):
            return self._org(run, limit), "speaker"
        if person is not None and not self._is_title_word(
            fold(person.text.split()[0]) if person.text else ""
        ):
            return self._person(person.text, lo), "speaker"
        title_end = 0
        while title_end < len(run) and (
            doc.norms[run[title_end]] in TITLES or (title_end and doc.norms[run[title_end]].startswith("ال"))
        ):
            title_end += 1
        if title_end and doc.norms[run[0]] in TITLES:
            title = frozenset(_strip_al(doc.norms[k]) for k in run[:title_end])
            # The name is the last run that opens with a bare word and holds at most one ال-word:
            # "عضو الأمانة العامة لقوى 14 آذار الياس الزغبي", "وزير الصحة توفيق الربيعة الخطة".
            rest: list[int] = []
            for k in run[title_end:]:
                norm = doc.norms[k]
                bare = not norm.startswith(("ال", "ل", "ب", "و")) or norm in self.lexicon
                if not self._namelike(norm) or (not rest and not bare):
                    rest = []
                    continue
                if rest and norm.startswith("ال") and any(doc.norms[t].startswith("ال") for t in rest):
                    break
                rest.append(k)
            if rest:
                name = self._name_tail(rest)
                speaker = self._person(name, lo)
                self.titled.append((lo, title, speaker))
                return speaker, "speaker"
            return self._by_title(title, lo), "speaker"
        if head.startswith("ال") and len(run) == 1 and head not in TITLES:
            return None, "none"  # a definite common noun ("الاتفاق"), not a name
        if not self._namelike(head) or (
            head.startswith("ال") and not self._known(self.text[lo : doc.ends[run[0]]])
        ):
            return None, "none"  # a common noun or a prepositional phrase ("جلسة", "الاتفاق", "لوجود")
        names: list[int] = []
        for k in run:
            if not self._namelike(doc.norms[k]) or (names and doc.norms[k].startswith("و")):
                break
            names.append(k)
        name = self._name_tail(names[:5] or run[:1])
        # "وأكد لافروف أن …", "وقال جيتا: «…»": a name word closing the subject before إن/أن or a colon.
        last = (names or run[:1])[-1]
        follow = self.text[doc.ends[last] : doc.ends[last] + 2]
        nxt = doc.first_token(doc.ends[last])
        closes = ":" in follow or (nxt < len(doc.norms) and doc.norms[nxt] in COMPLEMENTISERS)
        if self._known(name) or trusted or (closes and not doc.norms[last].startswith("ال")):
            return self._person(name, lo), "speaker"
        return None, "none"

    def _namelike(self, norm: str) -> bool:
        """Could `norm` be a word of a person's name (not a function word, title or preposition)?"""
        if norm in STOPS or norm in TITLES or norm in ORG_HEADS or norm in UNNAMED or _speech(norm):
            return False
        return not norm.startswith(("لل", "بال", "وال", "فال", "كال")) and not norm.isdigit()

    def _known(self, name: str) -> bool:
        """A name the article confirms: a word of a recognized person, or a surname that recurs."""
        words = [fold(w) for w in name.split()]
        if words[-1] in self.lexicon:
            return True
        return (
            not words[-1].startswith("ال")
            and self.token_counts.get(words[-1], 0) >= 2
            and len(words[-1]) >= 3
        )

    def _plausible(self, name: str) -> bool:
        """A recognizer's person that reads as a name: no organisation head, title or function word."""
        words = [fold(w) for w in WORD.findall(name)]
        return (
            bool(words)
            and all(self._namelike(w) or w in CONNECTORS for w in words)
            and not words[0].startswith(("ال", "ل", "ب"))
        )

    def _harvest(self) -> None:
        """Full names of the article: two to five name words after a speech verb or a title."""
        doc = self.doc
        n = len(doc.norms)
        for k in range(n):
            norm = doc.norms[k]
            if not (_speech(norm) == "verb" or norm in TITLES):
                continue
            j = k + 1
            while j < n and (doc.norms[j] == "ل" or doc.inside(doc.starts[j])):
                j += 1
            while j < n and (doc.norms[j] in TITLES or (norm in TITLES and doc.norms[j].startswith("ال"))):
                j += 1
            run: list[int] = []
            while (
                j < n and len(run) < 5 and self._namelike(doc.norms[j]) and not self.doc.inside(doc.starts[j])
            ):
                if run and (
                    doc.norms[j].startswith("و")
                    or any(c in self.text[doc.ends[run[-1]] : doc.starts[j]] for c in ',،:.\n"«»“”')
                ):
                    break
                run.append(j)
                j += 1
            # After a verb, the run must end the subject (a comma, colon, complementiser follows)
            # and its last word recur: "وقال فادي كرم: …" … "رأى كرم"; not "يكشف معاناة المجتمع".
            ends = (
                j >= n
                or doc.norms[j] in COMPLEMENTISERS
                or doc.norms[j] in TITLES
                or any(c in self.text[doc.ends[run[-1]] : doc.starts[j]] for c in ',،:«"“”')
                if run
                else False
            )
            recurs = bool(run) and self.token_counts.get(doc.norms[run[-1]], 0) >= 2
            if norm not in TITLES and not (ends and recurs):
                continue
            if len(run) >= 2 and not doc.norms[run[0]].startswith(("ال", "و", "ل", "ب")):
                name = self.text[doc.starts[run[0]] : doc.ends[run[-1]]]
                self.names.append(name)
                self.lexicon.update(doc.norms[t] for t in run[1:])

    def _is_title_word(self, norm: str) -> bool:
        return norm in TITLES or norm in ORG_HEADS

    def _name_tail(self, run: list[int]) -> str:
        """The name at the end of a run: its last two words, more across بن / آل chains."""
        doc = self.doc
        take = [run[-1]]
        for k in reversed(run[:-1]):
            if len(take) >= 2 and doc.norms[take[0]] not in CONNECTORS and doc.norms[k] not in CONNECTORS:
                break
            if doc.norms[k] in TITLES or doc.norms[k] in STOPS:
                break
            take.insert(0, k)
        return self.text[doc.starts[take[0]] : doc.ends[take[-1]]]

    def _person(self, name: str, pos: int) -> Speaker:
        speaker = Speaker(self._fullest(name), "person")
        self.names.append(name)
        return speaker

    def _fullest(self, name: str) -> str:
        words = [fold(w) for w in name.split()]
        best = name
        for other in self.names:
            ow = [fold(w) for w in other.split()]
            longer = len(ow) > len(best.split()) and ow[-1] == words[-1] and set(words) <= set(ow)
            if longer and not any(w in TITLES for w in ow):
                best = other
        return best

    def _by_title(self, title: frozenset[str], pos: int) -> Speaker | None:
        """The person introduced with (part of) `title`, most recent first; else the last speaker."""
        wanted = title - {"ال"}
        best: tuple[int, int] | None = None
        for i, (p, words, _speaker) in enumerate(self.titled):
            score = len(words & wanted)
            if score and (best is None or (score, p) > (best[0], self.titled[best[1]][0])):
                best = (score, i)
        if best is not None:
            return self.titled[best[1]][2]
        if self.last is not None and self.last.kind == "person":
            return self.last
        return self.last

    def _org(self, run: list[int], limit: int) -> Speaker:
        doc = self.doc
        head = doc.norms[run[0]]
        if head in {"البيان", "بيان"}:
            org = next((s for _, _, s in reversed(self.orgs)), None)
            return org or (self.last if self.last and self.last.kind == "org" else Speaker("البيان", "org"))
        # صحيفة «صباح»: the name is the marked span right after the head.
        after = self.text[doc.ends[run[0]] : doc.ends[run[0]] + 3].lstrip()
        if len(run) == 1 and after[:1] in '«"“”':
            span = next((s for s in self.spans if doc.ends[run[0]] < s.start <= doc.ends[run[0]] + 3), None)
            if span is not None:
                org = Speaker(self.text[span.start : span.end], "org")
                self.orgs.append((span.start, _strip_al(head), org))
                return org
        if head.startswith("ال") and len(run) <= 2:
            same = [s for _, h, s in reversed(self.orgs) if h == _strip_al(head)]
            if same:
                return same[0]
        org = Speaker(self.text[doc.starts[run[0]] : doc.ends[run[-1]]], "org")
        self.orgs.append((doc.starts[run[0]], _strip_al(head), org))
        return org

    # ---- attribution -----------------------------------------------------------------------
    def _subject(self, k: int, limit: int, sent: int) -> tuple[Speaker | None, str]:
        """Speaker of the speech word at token `k` (phrase after it, or before it)."""
        doc = self.doc
        kind = _speech(doc.norms[k])
        if kind == "verb":
            after = doc.outside(doc.ends[k], limit)
            if _bare(doc.norms[k]) in RELAY:
                # نقلت وكالة ... عن X / نقلت عنه: the speaker follows عن.
                for j, t in enumerate(after[:8]):
                    if doc.norms[t] in PRONOUN_OBJECTS:
                        return None, "pronoun"
                    if doc.norms[t] == "عن":
                        return self._phrase(after[j + 1 :], limit)
                return None, "agency"
            speaker, what = self._phrase(after, limit)
            if speaker is not None or what in {"pronoun"}:
                return speaker, what
            # SVO: وكان خامنئي قال / حسين عطية - بائع عطور - يقول
            before = doc.outside(sent, doc.starts[k])
            if before:
                prev = before[-1]
                if doc.norms[prev] in {"كان", "وكان", "قد", "وقد"} and len(before) >= 2:
                    prev = before[-2]
                m = next((p for p in self.persons if p.start <= doc.starts[prev] < p.end), None)
                if m is not None:
                    return self._person(m.text, m.start), "speaker"
        # A participle, or a verb without its own subject: the subject of the nearest finite speech
        # verb before it in the sentence (قال كرم: «…»، واصفا «…»), else of the sentence.
        for j in reversed(doc.outside(sent, doc.starts[k])):
            if _speech(doc.norms[j]) == "verb" and _bare(doc.norms[j]) not in RELAY:
                speaker, what = self._phrase(doc.outside(doc.ends[j], doc.starts[k]), doc.starts[k])
                if speaker is not None:
                    return speaker, what
        return self._sentence_subject(sent, doc.starts[k])

    def _sentence_subject(self, sent: int, pos: int) -> tuple[Speaker | None, str]:
        doc = self.doc
        toks = doc.outside(sent, pos)
        for j, k in enumerate(toks[:4]):
            if _speech(doc.norms[k]) == "verb" or (j == 0 and doc.norms[k] in TITLES):
                start = toks[j + 1 :] if _speech(doc.norms[k]) else toks[j:]
                speaker, what = self._phrase(start, pos)
                if speaker is not None:
                    return speaker, what
        m = next((p for p in self.persons if sent <= p.start and p.end <= pos), None)
        if m is not None and m.start - sent < 60:
            return self._person(m.text, m.start), "speaker"
        # A sentence opening with any verb: its subject (ودافع مخرج العمل أوس الشرقي ... قائلا).
        if toks and _bare(doc.norms[toks[0]]) != doc.norms[toks[0]] and len(toks) > 2:
            speaker, what = self._phrase(toks[1:], pos)
            if speaker is not None and speaker.kind in {"person", "org"}:
                return speaker, what
        return None, "none"

    def run(self) -> list[ArabicQuote]:
        doc = self.doc
        out: list[ArabicQuote] = []
        seen = 0
        for span in self.spans:
            if any(
                s.start <= span.start and span.end <= s.end and s != span for s in self.spans if not s.missing
            ):
                nested = True
            else:
                nested = False
            sent = doc.sentence_start(span.start)
            self._track(seen, sent)
            seen = max(seen, span.end)
            pre = doc.outside(sent, span.start)
            gov = next((k for k in reversed(pre) if _speech(doc.norms[k])), None)
            post: int | None = None
            if gov is None:
                end = doc.sentence_end(span.end)
                after = doc.outside(span.end, end)[:4]
                post = next((k for k in after if _speech(doc.norms[k]) == "verb"), None)
            if not self._is_quote(span, gov is not None or post is not None):
                continue
            if nested and gov is None:
                continue  # a term or name inside another quote
            speaker: Speaker | None = None
            what = "none"
            verb = None
            if gov is not None:
                verb = self.text[doc.starts[gov] : doc.ends[gov]]
                # Speech words in the same sentence before gov update the context first.
                speaker, what = self._subject(gov, span.start, sent)
            elif post is not None:
                verb = self.text[doc.starts[post] : doc.ends[post]]
                speaker, what = self._phrase(
                    doc.outside(doc.ends[post], doc.sentence_end(span.end)), len(self.text), trusted=True
                )
            else:
                # «…» with a colon after a name: الشهراني: «…»; else a quote that goes on.
                if pre:
                    speaker, what = self._phrase(pre[-3:], span.start)
                    if speaker is not None and speaker.kind == "unnamed":
                        speaker = None
            continuation = speaker is None and what != "agency"
            if speaker is None and (
                gov is not None or post is not None or (out and span.start - out[-1].end < 40)
            ):
                speaker = self.last
            elif speaker is None:
                continuation = False
            out.append(ArabicQuote(span.start, span.end, speaker, verb, continuation and speaker is not None))
            if speaker is not None:
                self.last = speaker
                if speaker.kind == "unnamed":
                    self.last_unnamed = speaker
        return out

    def _track(self, lo: int, hi: int) -> None:
        """Speakers named by speech verbs between quotes (وقال كورتولموش إن ...), so that a later
        وأضاف credits them."""
        doc = self.doc
        for k in doc.outside(lo, hi):
            if _speech(doc.norms[k]) == "verb" and _bare(doc.norms[k]) not in RELAY:
                speaker, _ = self._phrase(doc.outside(doc.ends[k], hi), hi)
                if speaker is not None and speaker.kind in {"person", "org"}:
                    self.last = speaker


def _strip_al(word: str) -> str:
    return word[2:] if word.startswith("ال") and len(word) > 4 else word


def arabic_quotes(text: str, mentions: Sequence[Mention]) -> list[ArabicQuote]:
    """The direct quotes of an Arabic `text` with speakers (`mentions`: the text's entities)."""
    return ArabicAttributor(text, mentions).run()
