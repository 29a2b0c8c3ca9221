"""Who could have said a quote: the speaker candidates of one Arabic article.

One left-to-right pass over the reporter's words (quote spans skipped) finds every phrase that can
name a speaker, each resolved at once to the speaker it stands for:
- `name`: a run of name words after a speech verb (وقال فادي كرم), before one (وكان خامنئي قد قال),
  after a cue (بحسب, على لسان, عن) or made of words the entity recognizer gave as a person's;
- `titled`: a title or role followed by a name (وزير الخارجية عادل بن أحمد الجبير); the title is
  remembered for the person;
- `title`: a title alone (الوزير الأمريكي, المخرج), resolved to the person introduced with the most
  words of that title, else to the last person of its gender; `title_pronoun` (سموه, معاليه) alike;
- `org`: an organisation phrase (وزارة الطاقة الإماراتية); `org_anaphor` (الوزارة, التنظيم) the
  last organisation with that head; `statement` (البيان, بيان الداخلية) the body that issued it;
- `unnamed`: an anonymous or collective source as written (مصدر مسؤول, دبلوماسي غربي, المصلين).
Agencies credited for the article (رويترز, واس) and the words of the attribution phrase (في بيان,
قوله) never become candidates. Names are given in their fullest form found in the article, titles
and honorifics dropped, nasab chains kept.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from marsad.entities.records import Mention
from marsad.quotes.lexicon import (
    AGENCIES,
    COMPLEMENTISERS,
    CONNECTORS,
    ORG_HEADS,
    RELAY,
    STOPS,
    TITLE_PRONOUNS,
    TITLES,
    UNNAMED,
    common_word,
    fold,
)
from marsad.quotes.tokens import TokenizedText, bare, feminine, speech_kind

_ADVERBIALS = frozenset(fold(w) for w in "قد أيضا ايضا كذلك بدوره بدورها اليوم امس أمس كان وكان وقد".split())
_ACCORDING = frozenset(fold(w) for w in "بحسب حسب وفق وفقا لسان طبقا".split())
_PREPOSITIONS = frozenset(fold(w) for w in "في فى من على إلى الى مع لدى عند أمام بين ل ب ضد حول".split())
_COLLECTIVES = frozenset(fold(w) for w in "الأهالي الاهالي المصلين المصلون البعض الجماهير المتظاهرون".split())
_ONE_OF = fold("أحد")
_UNNAMED_ANAPHORS = frozenset(fold(w) for w in "المصدر المصادر".split())
_STATEMENTS = frozenset(fold(w) for w in "البيان بيان بيانها بيانه".split())
# بيان صادر عن المجلس, البيان الصادر من وزارة الداخلية: the participle of issuing names no issuer itself.
_ISSUED = frozenset(fold(w) for w in "صادر صادرة الصادر الصادرة".split())
_NOT_NAMES = frozenset(
    fold(w)
    for w in """باسم بشأن بينما حيث فيما بعدما وبعدما عقب فيه فيها به بها منه منها عليه عليها إليه إليها
    لديه لديها عنده عندها خلالها هذه بهذه هذا بهذا تلك ذلك بذلك كل جميع بعض غير عدد لصحافيين لصحفيين
    منطقة محافظة مدينة ولاية بلدة قرية الذي التي الذين معه معها معهم""".split()
)
# Month names of the Levant and the West: "لقوى 14 آذار الياس الزغبي" names the party, not the man.
_MONTHS = frozenset(
    fold(w)
    for w in """كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين يناير فبراير مارس أبريل مايو يونيو
    يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر""".split()
)
# First names that are also common words ("صباح", "بيان"): a name after a title only.
_HOMOGRAPH_NAMES = frozenset(fold(w) for w in "صباح بيان أمل نور هدى وفاء سلام".split())
_NAME_OPENERS = frozenset(fold(w) for w in "عبد أبو ابو أم".split())
_OUTLET_WORDS = frozenset(fold(w) for w in "شبكة صحيفة وكالة قناة موقع جريدة مجلة إذاعة تلفزيون".split())
_PUNCT = re.compile(r"[,،:;؛.()\"«»“”\n!?؟]|\s[-–]\s")
_CRF_KINDS = frozenset({"person", "org", "place"})
_BOUNDARIES = re.compile(r"\n|\.\.|[.!?؟](?=[\s\"”»«“'\u00a0]|$)")


@dataclass(slots=True, frozen=True)
class Speaker:
    """Who said a quote: `kind` is person, org or unnamed."""

    name: str
    kind: str


@dataclass(slots=True, frozen=True)
class Candidate:
    """A phrase of the article that names a possible speaker, with the speaker it resolves to.

    `first`/`last` are token indices (inclusive), `start`/`end` character offsets; `role` is how the
    phrase relates to the words around it (subj: subject of the speech verb `verb`; svo: named
    before it; relay: after عن of a relay verb; according: after بحسب / على لسان; prep: after a
    preposition; other); `female` the gender the phrase or its verb shows; `resolved` how the
    speaker was found (as written, by title, by fallback to the last person, by head); `crf` the
    entity kind the learned tagger gave its words (`name_crf`: the words of the name alone, after a
    title), `crf_exact` whether the tagger gave the speaker's name as a person span; `alias` that a
    bare name is a shorter form of a person introduced earlier with a title or tagged as a person
    (حسيب after الفنانة التشكيلية الدكتورة شنكول حسيب)."""

    first: int
    last: int
    start: int
    end: int
    ctype: str
    speaker: Speaker
    role: str
    verb: int | None
    female: bool | None
    resolved: str
    ner: bool
    known: bool
    crf: str = ""
    crf_exact: bool = False
    name_crf: str = ""
    alias: bool = False


def strip_al(word: str) -> str:
    return word[2:] if word.startswith("ال") and len(word) > 4 else word


def _clitic_head(norm: str, words: frozenset[str]) -> tuple[str, str]:
    """(word, clitic) when `norm` or `norm` without a one-letter clitic (و ب ل ف) is in `words`."""
    if norm in words:
        return norm, ""
    if norm[:1] in "وبلف" and norm[1:] in words:
        return norm[1:], norm[0]
    return "", ""


_UNNAMED_HEADS = UNNAMED | _COLLECTIVES
_TITLE_OR_ORG = TITLES | ORG_HEADS


@lru_cache(maxsize=65536)
def _category(norm: str) -> tuple[str, str]:
    """What a candidate opened by this word would be (title_pronoun, title, statement, org,
    unnamed, or "") and its head word without the clitic; a clitic other than و (بالوزير,
    للوزارة) makes the word part of a prepositional phrase, not a subject."""
    head, _ = _clitic_head(norm, TITLE_PRONOUNS)
    if head:
        return "title_pronoun", head
    for category, words in (
        ("title", TITLES),
        ("statement", _STATEMENTS),
        ("org", ORG_HEADS),
        ("unnamed", _UNNAMED_HEADS),
    ):
        head, clitic = _clitic_head(norm, words)
        if head and clitic in {"", "و"}:
            return category, head
    return "", ""


@lru_cache(maxsize=65536)
def _namelike(norm: str) -> bool:
    """Could `norm` be a word of a person's name (not a function word, title or preposition)?"""
    if (
        norm in STOPS
        or bare(norm) in STOPS
        or norm in TITLES
        or norm in ORG_HEADS
        or norm in UNNAMED
        or norm in AGENCIES
        or norm in COMPLEMENTISERS
        or norm in _NOT_NAMES
        or norm in _ACCORDING
        or speech_kind(norm)
    ):
        return False
    if norm[:1] in "لب" and (norm[1:] in _OUTLET_WORDS or norm[1:] in ORG_HEADS):
        return False  # لشبكة, لصحيفة: the outlet a speaker talked to; بجامعة: where he works
    if len(norm) > 3 and norm.endswith("ها"):
        return False  # عملها, لوحاتها: a noun with a possessive pronoun ends the name before it
    return not norm.startswith(("لل", "بال", "وال", "فال", "كال")) and not norm.isdigit() and len(norm) > 1


class ArticleCandidates:
    """Every speaker candidate of one article, in text order, with its sentences and paragraphs."""

    def __init__(self, doc: TokenizedText, mentions: Sequence[Mention]) -> None:
        self.doc = doc
        text = doc.text
        self.counts: dict[str, int] = {}
        for norm in doc.norms:
            self.counts[norm] = self.counts.get(norm, 0) + 1
        persons = [m for m in mentions if m.kind == "person"]
        self.lexicon: set[str] = set()
        for m in persons:
            # The recognizer's persons seed the name words only when they read as full names.
            words = fold(m.text).split()
            if len(words) >= 2 and all(self._namelike(w) or w in CONNECTORS for w in words):
                self.lexicon.update(w for w in words if w not in CONNECTORS)
        self.seed = frozenset(self.lexicon)
        self.ner_persons = {doc.first_token(m.start) for m in persons}
        # The learned tagger's spans by token: which entity each word belongs to, and where the
        # person spans start and end (name boundaries, and the fullest forms of the names).
        self.crf: dict[int, tuple[str, int, int]] = {}
        self.crf_names: set[tuple[str, ...]] = set()
        for m in mentions:
            if m.rule != "crf" or m.kind not in _CRF_KINDS:
                continue
            first = doc.first_token(m.start)
            last = max(first, doc.first_token(m.end) - 1)
            for t in range(first, last + 1):
                self.crf.setdefault(t, (m.kind, first, last))
        self.ner_orgs = {doc.first_token(m.start): m for m in mentions if m.kind == "org"}
        # The article's spellings of person names by their last word, folded (`fullest` reads only
        # the names ending like the one asked for): name and its words -> its number of words.
        self.names: dict[str, dict[tuple[str, frozenset[str]], int]] = {}
        # Full names (folded) introduced with a title or tagged as persons: their short forms are names.
        self.trusted: set[str] = set()
        self.titled: list[tuple[int, frozenset[str], Speaker, bool | None]] = []
        self.orgs: list[tuple[int, str, Speaker]] = []
        self.persons: list[tuple[int, Speaker, bool | None]] = []
        self.unnamed: list[Speaker] = []
        self.items: list[Candidate] = []
        for m in persons:
            if m.rule == "crf":
                self._crf_name(m)
        # Sentence starts; blank lines and runs of marks make no empty sentences.
        self.sentences = [0]
        for b in _BOUNDARIES.finditer(text):
            if (b.group(0) == "\n" or not doc.inside(b.start())) and text[
                self.sentences[-1] : b.start()
            ].strip():
                self.sentences.append(b.end())
        self.paragraphs = [0] + [m.end() for m in re.finditer("\n", text)]
        # The first speech verb at or after each token (a huge index for none): `_cue_near` asks of every
        # token whether one follows within six words.
        n = len(doc.norms)
        self._next_verb = [1 << 30] * (n + 1)
        for k in range(n - 1, -1, -1):
            self._next_verb[k] = k if speech_kind(doc.norms[k]) == "verb" else self._next_verb[k + 1]
        self._scan()
        self.item_ends = [c.end for c in self.items]

    # ---- queries -------------------------------------------------------------------------------
    def sentence_of(self, pos: int) -> int:
        return bisect.bisect_right(self.sentences, pos) - 1

    def paragraph_of(self, pos: int) -> int:
        return bisect.bisect_right(self.paragraphs, pos) - 1

    def between(self, lo: int, hi: int) -> list[Candidate]:
        """The candidates that start at or after `lo` and end by `hi`."""
        a = bisect.bisect_left(self.item_ends, lo)
        b = bisect.bisect_right(self.item_ends, hi)
        return [c for c in self.items[a:b] if c.start >= lo]

    # ---- scanning ------------------------------------------------------------------------------
    def _gap(self, a: int, b: int) -> str:
        """The characters between token a and token b."""
        return self.doc.text[self.doc.ends[a] : self.doc.starts[b]]

    def _scan(self) -> None:
        doc = self.doc
        n = len(doc.norms)
        k = 0
        while k < n:
            if doc.token_inside(k):
                k += 1
                continue
            cand = self._candidate_at(k)
            if cand is None:
                k += 1
                continue
            self.items.append(cand)
            sp = cand.speaker
            if sp.kind == "person":
                self.persons.append((cand.start, sp, cand.female))
            elif sp.kind == "org" and cand.ctype == "org":
                self.orgs.append((cand.start, strip_al(doc.norms[cand.first]), sp))
            elif sp.kind == "unnamed" and cand.ctype == "unnamed":
                self.unnamed.append(sp)
            k = cand.last + 1

    def _candidate_at(self, k: int) -> Candidate | None:
        doc = self.doc
        norm = doc.norms[k]
        if norm in AGENCIES or bare(norm) in AGENCIES:
            return None
        if k in self.ner_orgs and k not in self.ner_persons:
            m = self.ner_orgs[k]
            last = max(k, doc.first_token(m.end) - 1)
            if not any(doc.norms[t] in AGENCIES for t in range(k, last + 1)):
                return self._make(k, last, "org", self._org_speaker(m.text), "name", ner=True)
        category, head = _category(norm)
        if category == "title_pronoun":
            speaker, how = self._by_title(frozenset(), doc.starts[k], None)
            return self._make(k, k, "title_pronoun", speaker, how) if speaker else None
        if category == "title":
            return self._titled(k)
        if category == "statement":
            return self._statement(k)
        if category == "org":
            return self._organisation(k, head)
        if category == "unnamed":
            return self._unnamed(k, head)
        if (
            (self._namelike(norm) or k in self.ner_persons)
            and (not norm.startswith("ال") or norm in self.lexicon)
            and self._cue_near(k)
        ):
            whole = self._crf_trim(self._name_run(k))
            run = self._common_cut(whole)
            if whole and not run:
                return self._described(k)
            if run and self._name_context(run):
                run = self._crf_end(run)
                name = doc.text[doc.starts[run[0]] : doc.ends[run[-1]]]
                return self._make(run[0], run[-1], "name", self._person(name), "name")
        return None

    def _namelike(self, norm: str) -> bool:
        return _namelike(norm)

    def _cue_near(self, k: int) -> bool:
        """Is a speech verb or an attribution cue next to token `k` (a cheap test before building a
        name run there)?"""
        doc = self.doc
        if k in self.ner_persons or doc.norms[k] in self.lexicon:
            return True
        if k > 0:
            prev = doc.norms[k - 1]
            if speech_kind(prev) or prev in _ACCORDING or prev in _ADVERBIALS or prev == "عن":
                return True
            if doc.token_inside(k - 1):
                return True
        return self._next_verb[k + 1] < k + 7

    def _name_run(self, j: int) -> list[int]:
        """Up to five name words from token `j`: after a word with ال only a connector goes on
        (عادل بن أحمد الجبير, خليفة بن سلمان آل خليفة), never across punctuation."""
        doc = self.doc
        n = len(doc.norms)
        run: list[int] = []
        while j < n and len(run) < 5 and not doc.token_inside(j):
            w = doc.norms[j]
            if run and _PUNCT.search(self._gap(run[-1], j)):
                break
            if not self._namelike(w) and w not in CONNECTORS and not self._ali(j):
                break
            if run and w.startswith("و") and w not in self.lexicon:
                break
            prev = doc.norms[run[-1]] if run else ""
            # عبد العزيز كبراوي, أبو الغيط: after عبد/أبو/أم the word with ال is the name's first half.
            opened = len(run) >= 2 and doc.norms[run[-2]] in _NAME_OPENERS
            if prev.startswith("ال") and w not in CONNECTORS and prev not in CONNECTORS and not opened:
                break
            opener = w in _NAME_OPENERS and j + 1 < n and self._opens_name(j)
            if not run and (w in CONNECTORS or (w.startswith("ال") and w not in self.lexicon)) and not opener:
                break
            run.append(j)
            j += 1
        while run and doc.norms[run[-1]] in CONNECTORS:
            run.pop()
        return run

    def _opens_name(self, j: int) -> bool:
        """عبد, أبو or أم at token `j` opening a name: a name word follows in the same phrase
        (عبد العزيز كبراوي, أبو بكر), not a connector inside a nasab (بن عبد الله is read from بن)."""
        doc = self.doc
        nxt = doc.norms[j + 1]
        return (
            not doc.token_inside(j + 1)
            and not _PUNCT.search(self._gap(j, j + 1))
            and (self._namelike(nxt) or nxt in self.lexicon)
            and nxt not in CONNECTORS
        )

    def _ali(self, j: int) -> bool:
        """The name علي written with ya, not the preposition على that folds like it, when a name
        word follows (علي الأحمدي, علي بن أبي طالب)."""
        doc = self.doc
        return (
            doc.norms[j] == "علي"
            and doc.text[doc.ends[j] - 1] == "ي"
            and j + 1 < len(doc.norms)
            and not _PUNCT.search(self._gap(j, j + 1))
            and (self._namelike(doc.norms[j + 1]) or doc.norms[j + 1] in CONNECTORS)
        )

    def _crf_trim(self, run: list[int]) -> list[int]:
        """The run without its leading words when the tagger starts a person name later in it
        (لكن حسيب, أخبرت أريستي تسيبراس: the name is where the tagger's span begins)."""
        if not run or (run[0] in self.crf and self.crf[run[0]][0] == "person"):
            return run
        for i, t in enumerate(run[1:], 1):
            span = self.crf.get(t)
            if span is not None and span[0] == "person" and span[1] == t:
                return run[i:]
        return run

    def _crf_end(self, run: list[int]) -> list[int]:
        """The run cut where the tagger's person span that opens it ends, when no other person
        span of the tagger follows in it (معاذ برسالة لطلاب الدكتوراه, جان قهوجي العسكريين,
        صدام حسين مرورا بسنوات الحصار). The words cut stay known as the name's (`_remember`):
        they may be a surname the tagger left out (محمد فلاح القرقاح ... وقال القرقاح)."""
        span = self.crf.get(run[0]) if run else None
        if span is None or span[0] != "person" or span[1] != run[0]:
            return run
        rest = [t for t in run if t > span[2]]
        if rest and all(self.crf.get(t, ("",))[0] != "person" for t in rest):
            name = self.doc.text[self.doc.starts[run[0]] : self.doc.ends[run[-1]]]
            self._remember(name)
            if len(rest) == 1 and self.counts.get(self.doc.norms[rest[0]], 0) >= 2:
                self.trusted.add(" ".join(fold(name).split()))  # ... وقال القرقاح
            return [t for t in run if t <= span[2]]
        return run

    def _crf_name(self, m: Mention) -> None:
        """Keep a person span of the tagger as a spelling of a name (for `fullest`), its edges
        cleared of words that cannot be part of a name (a title or speech verb the span took in)."""
        doc = self.doc
        first = doc.first_token(m.start)
        last = doc.first_token(m.end) - 1
        while first <= last and (doc.norms[first] in CONNECTORS or not self._namelike(doc.norms[first])):
            first += 1
        while last >= first and (doc.norms[last] in CONNECTORS or not self._namelike(doc.norms[last])):
            last -= 1
        words = doc.norms[first : last + 1]
        if not words or not all(self._namelike(w) or w in CONNECTORS for w in words):
            return
        self.crf_names.add(tuple(words))
        if len(words) >= 2 and not any(doc.token_inside(t) for t in range(first, last + 1)):
            name = " ".join(doc.text[doc.starts[first] : doc.ends[last]].split())
            self._add_name(name, frozenset(words))
            self.trusted.add(" ".join(words))

    def _name_context(self, run: list[int]) -> bool:
        """A bare run is a name when a speech verb or cue governs it or the recognizer knows it."""
        doc = self.doc
        if run[0] in self.ner_persons or all(doc.norms[t] in self.lexicon for t in run):
            return True
        role, _ = self._role(run[0], run[-1])
        return role in {"subj", "svo", "according", "relay"}

    def _make(
        self,
        first: int,
        last: int,
        ctype: str,
        speaker: Speaker,
        resolved: str,
        *,
        ner: bool = False,
        name_from: int | None = None,
    ) -> Candidate:
        doc = self.doc
        role, verb = self._role(first, last)
        female = feminine(doc.norms[verb]) if verb is not None else None
        if ctype in {"titled", "title"}:
            title = bare(doc.norms[first])
            if title in TITLES and title.endswith("ه") and title[:-1] in TITLES:
                female = True
        ner = ner or first in self.ner_persons
        last_word = doc.norms[last]
        known = last_word in self.seed or (self.counts.get(last_word, 0) >= 2 and len(last_word) >= 3)
        kinds = {self.crf[t][0] for t in range(first, last + 1) if t in self.crf}
        crf = next((k for k in ("person", "org", "place") if k in kinds), "")
        if name_from is not None:
            # A title and its name: what the tagger made of the name words alone.
            kinds = {self.crf[t][0] for t in range(name_from, last + 1) if t in self.crf}
        name_crf = next((k for k in ("person", "org", "place") if k in kinds), "")
        full = tuple(fold(speaker.name).split())
        exact = speaker.kind == "person" and full in self.crf_names
        alias = ctype == "name" and len(full) > last - first + 1 and " ".join(full) in self.trusted
        return Candidate(
            first,
            last,
            doc.starts[first],
            doc.ends[last],
            ctype,
            speaker,
            role,
            verb,
            female,
            resolved,
            ner,
            known,
            crf,
            exact,
            name_crf,
            alias,
        )

    def _role(self, first: int, last: int) -> tuple[str, int | None]:
        doc = self.doc
        p = first - 1
        if p >= 0 and doc.token_inside(p):
            while p >= 0 and doc.token_inside(p):
                p -= 1
            if p < 0 or doc.norms[p] != "ل":
                return self._role_after(first, last)
            p -= 1
            first = p + 1
        while p >= 0 and doc.norms[p] in _ADVERBIALS and not _PUNCT.search(self._gap(p, p + 1)):
            p -= 1
        if p >= 0 and not _PUNCT.search(self._gap(p, first)):
            w = doc.norms[p]
            kind = speech_kind(w)
            if kind == "verb":
                return ("relay_subj" if bare(w) in RELAY else "subj"), p
            if w == "عن":
                if any(bare(doc.norms[t]) in RELAY for t in range(max(0, p - 8), p)):
                    return "relay", None
                return "prep", None
            if w in _ACCORDING:
                return "according", None
            if w in _PREPOSITIONS:
                return "prep", None
        if doc.norms[first][:1] in "لب" and doc.norms[first][1:] in _TITLE_OR_ORG:
            return "prep", None
        return self._role_after(first, last)

    def _role_after(self, first: int, last: int) -> tuple[str, int | None]:
        """svo when a speech verb follows the phrase (وكان خامنئي قد قال), else other."""
        doc = self.doc
        n = len(doc.norms)
        q = last + 1
        while q < n and doc.norms[q] in _ADVERBIALS and not _PUNCT.search(self._gap(q - 1, q)):
            q += 1
        if q < n and speech_kind(doc.norms[q]) == "verb" and not self._gap(last, q).strip(" -–"):
            return "svo", q
        return "other", None

    # ---- phrases -------------------------------------------------------------------------------
    def _phrase_end(self, k: int, limit: int = 7) -> int:
        """The last token of a noun phrase opened at `k`: definite words (adjectives, genitives:
        وزارة الطاقة الإماراتية, هيئة التحقيق والادعاء العام), after an indefinite head one or two
        bare names (حركة حماس, صحيفة واشنطن بوست); up to punctuation, a stop word, a speech word,
        a complementiser or a quote."""
        doc = self.doc
        n = len(doc.norms)
        last = k
        j = k + 1
        bare_run = 0
        indefinite = not bare(doc.norms[k]).startswith("ال")
        while j < n and j - k < limit and not doc.token_inside(j):
            w = doc.norms[j]
            if _PUNCT.search(self._gap(last, j)) or w in STOPS or w in COMPLEMENTISERS or speech_kind(w):
                break
            if w.startswith(("بان", "لان")) or w in AGENCIES or w in TITLES or w in _NOT_NAMES:
                break
            definite = w.startswith(("ال", "لل", "بال", "وال")) or (w[:1] in "لب" and w[1:] in ORG_HEADS)
            if not definite:
                if not (indefinite and bare_run < 2 and (j == k + 1 or bare_run) and self._namelike(w)):
                    break
                bare_run += 1
            else:
                bare_run = 0 if j > k + 1 else bare_run
                indefinite = False if not w.startswith(("ال", "وال")) else indefinite and False
            last = j
            j += 1
        return last

    def _titled(self, k: int) -> Candidate | None:
        doc = self.doc
        n = len(doc.norms)
        words = [strip_al(bare(doc.norms[k]))]
        j = k + 1
        while j < n and not doc.token_inside(j) and not _PUNCT.search(self._gap(j - 1, j)):
            w = doc.norms[j]
            if w in self.lexicon and not w.startswith(("لل", "بال")):
                break
            absorb = (
                w in TITLES
                or bare(w) in TITLES
                or w in ORG_HEADS
                or w.startswith(("ال", "لل", "بال", "وال"))
                or (w[:1] in "لب" and len(w) > 3 and not self._namelike(w[1:]))
                or w in {"باسم", "لشؤون", "لقوى"}
                or w in _MONTHS
                or w.isdigit()
            )
            # رئيس بلدية تشاتانوغا اندي بيرك: after an indefinite head, a bare word followed by two
            # more name words is the genitive (the town), the name comes after.
            prev = doc.norms[j - 1]
            prev = prev[1:] if prev[:1] in "لب" and prev[1:] in ORG_HEADS else prev
            if not absorb and (prev in ORG_HEADS or prev in TITLES) and not prev.startswith("ال"):
                follow = self._name_run(j + 1) if j + 1 < n else []
                absorb = len(follow) >= 2 and not _PUNCT.search(self._gap(j, j + 1))
            if not absorb or speech_kind(w) or w in COMPLEMENTISERS or (w in STOPS and w not in ORG_HEADS):
                break
            words.append(strip_al(w))
            j += 1
        title = frozenset(words)
        run: list[int] = []
        if j < n and not _PUNCT.search(self._gap(j - 1, j)):
            run = self._name_run(j)
            if not run and j + 1 < n and doc.norms[j] in _HOMOGRAPH_NAMES | self.lexicon:
                # المطوفة صباح بوان, المحامية بيان زهران: a first name that is also a common word.
                after = self._name_run(j + 1)
                if 0 < len(after) <= 2 and not doc.norms[j + 1].startswith("ال"):
                    run = [j, *after]
        elif j < n and self._gap(j - 1, j).strip() in {"،", ","} and not doc.token_inside(j):
            # أكد شيخ الأزهر، أحمد الطيب، ...: a name the tagger gives as a person, set off by commas.
            after = self._name_run(j)
            if len(after) >= 2 and self.crf.get(j, ("", -1, -1))[:2] == ("person", j):
                run = after
        run = self._crf_end(self._past_complement(self._crf_trim(run)))
        if run and not doc.token_inside(run[0]):
            name = doc.text[doc.starts[run[0]] : doc.ends[run[-1]]]
            speaker = self._person(name)
            cand = self._make(k, run[-1], "titled", speaker, "name", name_from=run[0])
            self.titled.append((doc.starts[k], title, speaker, cand.female))
            if len(run) >= 2:
                self.trusted.add(" ".join(fold(speaker.name).split()))
            return cand
        last = max(k, j - 1)
        female = None
        head = bare(doc.norms[k])
        if head.endswith("ه") and head[:-1] in TITLES:
            female = True
        _role, verb = self._role(k, last)
        if verb is not None and feminine(doc.norms[verb]) is not None:
            female = feminine(doc.norms[verb])
        apposed = self._apposed(k)
        if apposed is not None:
            # اياد البزم المتحدث باسم الوزارة, عمر العامر، رئيس اللجنة: the name right before.
            cand = self._make(apposed.first, last, "titled", apposed.speaker, "name")
            self.titled.append((doc.starts[k], title, apposed.speaker, female))
            if self.items and self.items[-1].first == apposed.first:
                self.items.pop()
            return cand
        found, how = self._by_title(title, doc.starts[k], female)
        if found is None:
            return None
        return self._make(k, last, "title", found, how)

    def name_evidence(self, run: Sequence[int]) -> bool:
        """Does anything but the words' place say the run is a name: a person span of the tagger in
        it, a word of a name the article already gave, a first name that is also a word (أمل)?"""
        doc = self.doc
        return bool(run) and (
            run[0] in self.ner_persons
            or doc.norms[run[0]] in _HOMOGRAPH_NAMES
            or any(self.crf.get(t, ("",))[0] == "person" or doc.norms[t] in self.seed for t in run)
        )

    def _past_complement(self, run: list[int]) -> list[int]:
        """The name words after a title, past the title's genitive complement when the run opens
        with common vocabulary, or holds some right after an indefinite title, and nothing says it
        is a name: مخرج أشهر أفلام الحركة سام منديز -> سام منديز; no name when nothing but the
        complement follows (وقال مخرج أشهر أفلام الحركة: «…», مخرج سلسلة أفلام «جيمس بوند»), for
        the title to resolve to the person it names."""
        doc = self.doc
        common = [t for t in run if common_word(doc.norms[t])]
        if not common or self.name_evidence(run):
            return run
        # An indefinite title still wants its genitive (مخرج سلسلة أفلام), a definite one does not
        # (مدير مستشفى العيص عبيد مسلم: مسلم is a word and a name): there, only a common first word.
        prev = doc.norms[run[0] - 1] if run[0] else ""
        if (prev.startswith("ال") or prev not in _TITLE_OR_ORG) and common[0] != run[0]:
            return run
        n = len(doc.norms)
        j = common[-1] + 1
        while (
            j < n
            and j - run[0] < 8
            and not doc.token_inside(j)
            and not _PUNCT.search(self._gap(j - 1, j))
            and self._complement_word(doc.norms[j])
        ):
            j += 1
        if j >= n or doc.token_inside(j) or _PUNCT.search(self._gap(j - 1, j)):
            return []
        after = self._crf_trim(self._name_run(j))
        if any(common_word(doc.norms[t]) for t in after) and not self.name_evidence(after):
            return []
        return after

    def _described(self, k: int) -> Candidate | None:
        """The subject of a speech verb that opens with a description in common words closed by a
        definite genitive, before the name (واعتبر كبير المفاوضين الفلسطينيين صائب عريقات أنه):
        the description acts as a title."""
        doc = self.doc
        if self._role(k, k)[0] != "subj":
            return None
        n = len(doc.norms)
        j = k
        while (
            j < n
            and j - k < 6
            and not doc.token_inside(j)
            and (j == k or not _PUNCT.search(self._gap(j - 1, j)))
            and self._complement_word(doc.norms[j])
        ):
            j += 1
        if j - k < 2 or not doc.norms[j - 1].startswith("ال"):
            return None  # نجم يوفنتوس السابق: no definite genitive closes the description
        if j >= n or doc.token_inside(j) or _PUNCT.search(self._gap(j - 1, j)):
            return None
        run = self._crf_trim(self._name_run(j))
        if not run or (len(run) < 2 and not self.name_evidence(run)) or self._common_cut(run) != run:
            return None
        run = self._crf_end(run)
        speaker = self._person(doc.text[doc.starts[run[0]] : doc.ends[run[-1]]])
        cand = self._make(k, run[-1], "titled", speaker, "name", name_from=run[0])
        title = frozenset(strip_al(bare(w)) for w in doc.norms[k:j])
        self.titled.append((doc.starts[k], title, speaker, cand.female))
        return cand

    def _complement_word(self, norm: str) -> bool:
        """A word of a genitive complement: common vocabulary or a definite word, also after a
        preposition clitic (فريق القادسية لكرة القدم), and no word of a name the article gave."""
        if norm in self.lexicon:
            return False
        for w in (norm, norm[1:] if norm[:1] in "لب" else ""):
            if w and (common_word(w) or w.startswith("ال")):
                return True
        return norm.startswith(("لل", "بال"))

    def _common_cut(self, run: list[int]) -> list[int]:
        """A bare run up to its first word of common vocabulary that neither the tagger nor the
        article gives as a name's (وقال التنظيم، عبر فرع يطلق على نفسه: no name at all), and
        after a known name, up to its last known word."""
        doc = self.doc
        for i, t in enumerate(run):
            w = doc.norms[t]
            if (
                common_word(w)
                and w not in self.lexicon
                and t not in self.ner_persons
                and self.crf.get(t, ("",))[0] != "person"
            ):
                kept = run[:i]
                # وأعاد بهتشلي سرد شروط حزبه: a known name, then the words of the predicate.
                if kept and (doc.norms[kept[0]] in self.lexicon or kept[0] in self.ner_persons):
                    while len(kept) > 1 and doc.norms[kept[-1]] not in self.lexicon:
                        kept.pop()
                return kept
        return run

    def _apposed(self, k: int) -> Candidate | None:
        """The person candidate or bare two-word name that ends right before the title at `k`."""
        doc = self.doc
        if k == 0 or doc.token_inside(k - 1) or self._gap(k - 1, k).strip() not in {"", "،", ","}:
            return None
        if self.items and self.items[-1].last == k - 1 and self.items[-1].speaker.kind == "person":
            return self.items[-1] if self.items[-1].ctype == "name" else None
        run: list[int] = []
        t = k - 1
        while t >= 0 and len(run) < 4 and not doc.token_inside(t) and self._namelike(doc.norms[t]):
            if run and _PUNCT.search(self._gap(t, run[0])):
                break
            run.insert(0, t)
            t -= 1
        while run and doc.norms[run[0]].startswith("ال"):
            run.pop(0)
        if len(run) < 2 or (
            not doc.norms[run[-1]].startswith("ال") and self.counts.get(doc.norms[run[-1]], 0) < 2
        ):
            return None
        name = doc.text[doc.starts[run[0]] : doc.ends[run[-1]]]
        return self._make(run[0], run[-1], "name", self._person(name), "name")

    def _by_title(self, title: frozenset[str], pos: int, female: bool | None) -> tuple[Speaker | None, str]:
        """The person introduced before `pos` with the most words of `title`, else the last person
        named (of the same gender when it is known)."""
        best: tuple[int, int] | None = None
        for i, (p, words, _speaker, fem) in enumerate(self.titled):
            score = len(words & title)
            agrees = female is None or fem is None or fem == female
            if p < pos and score and agrees and (best is None or score >= best[0]):
                best = (score, i)
        if best is not None:
            return self.titled[best[1]][2], "title"
        for _p, speaker, fem in reversed(self.persons):
            if female is None or fem is None or fem == female:
                return speaker, "fallback"
        return None, "none"

    def _statement(self, k: int) -> Candidate | None:
        doc = self.doc
        n = len(doc.norms)
        if k + 1 < n and bare(doc.norms[k + 1]) in _ISSUED and not _PUNCT.search(self._gap(k, k + 1)):
            return self._issued(k)
        last = self._phrase_end(k, 6)
        if last > k:
            # بيان الداخلية التونسية: the statement names its issuer.
            issuer = doc.text[doc.starts[k + 1] : doc.ends[last]]
            return self._make(k, last, "statement", self._org_speaker(issuer), "name")
        if self.orgs:
            return self._make(k, k, "statement", self.orgs[-1][2], "head")
        return None

    def _issued(self, k: int) -> Candidate | None:
        """A statement and the participle of issuing after it: the body after عن/من is the issuer
        (بيان صادر عن المجلس -> the council named before, البيان الصادر عن وزارة الداخلية);
        without one (البيان الصادر اليوم), the last organisation named."""
        doc = self.doc
        n = len(doc.norms)
        by = k + 3
        if by < n and doc.norms[k + 2] in {"عن", "من"} and not _PUNCT.search(self._gap(k + 1, by)):
            if by in self.ner_orgs and by not in self.ner_persons:
                m = self.ner_orgs[by]
                last = max(by, doc.first_token(m.end) - 1)
                return self._make(k, last, "statement", self._org_speaker(m.text), "name")
            category, head = _category(doc.norms[by])
            issuer = self._organisation(by, head) if category == "org" else None
            if issuer is not None:
                return self._make(k, issuer.last, "statement", issuer.speaker, "name")
        if self.orgs:
            return self._make(k, k + 1, "statement", self.orgs[-1][2], "head")
        return None

    def _organisation(self, k: int, head: str) -> Candidate | None:
        doc = self.doc
        last = self._phrase_end(k)
        if last == k and k + 1 in self.ner_orgs and not _PUNCT.search(self._gap(k, k + 1)):
            # نادي اتحاد جدة السعودي: the head before an organisation the tagger found.
            inner = max(k + 1, doc.first_token(self.ner_orgs[k + 1].end) - 1)
            last = max(inner, self._phrase_end(k + 1))
        if last == k:
            if head.startswith("ال"):
                same = [s for _, h, s in reversed(self.orgs) if h == strip_al(head)]
                if same:
                    return self._make(k, k, "org_anaphor", same[0], "head")
            # صحيفة «صباح», الصحيفة «الخبر»: the name is the marked span right after the head.
            after = doc.text[doc.ends[k] : doc.ends[k] + 3].lstrip()
            if after[:1] in '«"“”' and k + 1 < len(doc.norms) and doc.token_inside(k + 1):
                j = k + 1
                end = j
                while end + 1 < len(doc.norms) and doc.token_inside(end + 1) and end - j < 4:
                    end += 1
                name = doc.text[doc.starts[j] : doc.ends[end]]
                return self._make(k, end, "org", self._org_speaker(name), "name")
            if head.startswith("ال"):
                return None
        name = doc.text[doc.starts[k] : doc.ends[last]]
        if doc.norms[k][:1] == "و" and head != doc.norms[k]:
            name = name[1:]
        return self._make(k, last, "org", self._org_speaker(name), "name")

    def _unnamed(self, k: int, head: str) -> Candidate | None:
        doc = self.doc
        if head in _UNNAMED_ANAPHORS and self.unnamed:
            return self._make(k, k, "unnamed", self.unnamed[-1], "head")
        if head == _ONE_OF and (k + 1 >= len(doc.norms) or not doc.norms[k + 1].startswith("ال")):
            return None  # أحد الشهود is a source, «هي أحد أهداف التحالف» is not
        last = k
        j = k + 1
        while j < len(doc.norms) and j - k < 3 and not doc.token_inside(j):
            w = doc.norms[j]
            if _PUNCT.search(self._gap(last, j)) or not (self._namelike(w) or w in UNNAMED) or w[:1] in "بلو":
                break
            last = j
            j += 1
        if last == k and head.startswith("ال"):
            # المحقق after أحد المحققين لدى الادعاء العام: the source introduced before.
            stem = strip_al(head)
            for sp in reversed(self.unnamed):
                if any(strip_al(w).startswith(stem) for w in fold(sp.name).split()):
                    return self._make(k, k, "unnamed", sp, "head")
        name = doc.text[doc.starts[k] : doc.ends[last]]
        if doc.norms[k][:1] == "و" and head != doc.norms[k]:
            name = name[1:]
        return self._make(k, last, "unnamed", Speaker(" ".join(name.split()), "unnamed"), "name")

    # ---- speakers ------------------------------------------------------------------------------
    def _remember(self, name: str) -> None:
        """Keep `name` as a spelling of a person's name: its words become name words."""
        words = frozenset(fold(w) for w in name.split())
        self._add_name(name, words)
        self.lexicon.update(words - CONNECTORS)

    def _add_name(self, name: str, words: frozenset[str]) -> None:
        parts = name.split()
        if parts:
            self.names.setdefault(fold(parts[-1]), {}).setdefault((name, words), len(parts))

    def _person(self, name: str) -> Speaker:
        self._remember(name)
        return Speaker(self.fullest(name), "person")

    def fullest(self, name: str) -> str:
        """The longest name of the article holding every word of `name` and ending like it."""
        words = [fold(w) for w in name.split()]
        have = frozenset(words)
        best, size = name, len(words)
        # Bounded by the distinct spellings ending like `name` (a hostile text of thousands of
        # quotes made this a scan of every spelling for every quote).
        for (other, ow), n in self.names.get(words[-1], {}).items() if words else ():
            if n > size and have <= ow:
                best, size = other, n
        return best

    def _org_speaker(self, name: str) -> Speaker:
        """The organisation named `name`, in the fullest form named before whose words hold its
        words, the article ال aside (نادي الاتحاد -> نادي اتحاد جدة السعودي)."""
        words = frozenset(strip_al(w) for w in fold(name).split())
        best = name
        for _, _, sp in self.orgs:
            if len(sp.name) > len(best) and words <= frozenset(strip_al(w) for w in fold(sp.name).split()):
                best = sp.name
        return Speaker(best, "org")
