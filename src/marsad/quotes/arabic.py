"""Arabic direct quotes and their speakers.

For each marked span (see `marks`, missing marks recovered):
1. Is it a quote? Long spans are, unless a cue names a work or an outlet (بعنوان, صحيفة, لـ«…»);
   short spans need a reporting word in their sentence or a colon or complementiser before them,
   and must not be a name the entity recognizer found or a label after a cue (عملية, ما يسمى).
2. Who said it? The article's speaker candidates (`candidates`: names, titles, organisations,
   statements, unnamed sources, each resolved to the speaker it stands for) are read through the
   quote's attribution frame (`speakers.frame_choice`): the overt subject of the speech verb that
   governs it, the name in apposition to a title, who goes on speaking after a verb with no overt
   subject (وأضاف, وقال:) or a title pronoun (معاليه). Only when the frame says nothing do the
   candidates around the quote and the previous quote's speaker go to a learned ranker.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from marsad.entities.records import Mention
from marsad.quotes.candidates import ArticleCandidates, Speaker
from marsad.quotes.lexicon import COMPLEMENTISERS, ORG_HEADS, SKIP_CUES, WORD, fold
from marsad.quotes.marks import QuotedSpan, find_quoted_spans
from marsad.quotes.speakers import Previous, SpeakerRanker, frame_choice, quote_context, quote_options
from marsad.quotes.tokens import TokenizedText, bare

_LONG = 5  # words: a longer marked span is a quote unless a cue says it names something
# A short marked span with no Arabic letter in an Arabic report (“JANNA”, "NEOM", «iPhone 6») names
# a programme, brand or acronym (guidelines, skip class N): nobody is reported saying it.
_FOREIGN_TERM = re.compile(r"[^\u0600-\u06ff]{1,40}")
_FOREIGN_WORDS = 3
# First words of a body's name: a short marked span that starts with one names a force, party,
# ministry or programme, whatever verb governs it, unless a colon introduces it as speech.
_NAME_HEADS = ORG_HEADS | frozenset(
    fold(w)
    for w in "قوات القوات وحدات الوحدات جيش لواء اللواء فصيل الفصيل عملية العملية حملة الحملة برنامج البرنامج"
    " مبادرة المبادرة".split()
)
# A marked span joined to another by و, a comma or على: «فود إمبوريوم»، و«باثمارك», «أ» على «ب».
_JOINED_AFTER = re.compile(r"^[\s\u00a0«»\"“”]*[،,]?\s*(?:و|على)\s*[«\"“”]")
_JOINED_BEFORE = re.compile(r"[«»\"“”][،,]?\s*(?:و|على)\s*[«\"“”]\s*$")
_RANKER: SpeakerRanker | None = None


@dataclass(slots=True, frozen=True)
class ArabicQuote:
    start: int
    end: int
    speaker: Speaker | None
    verb: str | None
    continuation: bool


def quote_spans(text: str) -> list[QuotedSpan]:
    """The marked spans of `text` that hold a word (missing marks recovered)."""
    return [s for s in find_quoted_spans(text, recover=True) if WORD.search(text[s.start : s.end])]


def _ranker() -> SpeakerRanker:
    global _RANKER
    if _RANKER is None:
        _RANKER = SpeakerRanker.load()
    return _RANKER


class ArabicAttributor:
    """Quotes and speakers of one Arabic text, given its entity mentions."""

    def __init__(self, text: str, mentions: Sequence[Mention], ranker: SpeakerRanker | None = None) -> None:
        self.spans = quote_spans(text)
        self.doc = TokenizedText(text, self.spans)
        self.text = text
        self.named = [m for m in mentions if m.kind in {"person", "org", "agency", "place"}]
        self.candidates = ArticleCandidates(self.doc, mentions)
        self.ranker = ranker or _ranker()

    # ---- detection -------------------------------------------------------------------------
    def _is_quote(self, span: QuotedSpan, governed: bool) -> bool:
        doc = self.doc
        words = doc.first_token(span.end) - doc.first_token(span.start)
        before = doc.first_token(span.start) - 1
        prev = doc.norms[before] if before >= 0 and doc.ends[before] >= span.start - 4 else ""
        gap = self.text[doc.ends[before] : span.start] if before >= 0 else ""
        if prev in SKIP_CUES or bare(prev) in SKIP_CUES or (prev in {"ل", "ب"} and "ـ" in gap + prev):
            return words > 12 and governed and prev not in {"بعنوان", "عنوان"}
        if prev in {"ل"} or gap.strip().endswith("لـ"):
            return False
        if any(m.start <= span.start and m.end >= span.end for m in self.named) and words <= 4:
            return False
        if words <= _FOREIGN_WORDS and _FOREIGN_TERM.fullmatch(self.text[span.start : span.end]):
            return False
        inner = self.text[span.start : span.end].strip()
        if inner.startswith("#"):
            return False  # a hashtag names a campaign (class N)
        if words == 1 and self._listed(span):
            return False  # «فود إمبوريوم»، و«باثمارك»: one item of a list of marked names
        first = doc.first_token(span.start)
        head = doc.norms[first] if first < len(doc.norms) else ""
        if (
            words <= 4
            and (head in _NAME_HEADS or bare(head) in _NAME_HEADS)
            and not gap.strip().endswith(":")
        ):
            return False  # «قوات سوريا الديمقراطية», «حركة النهضة»: a body's name in marks (class N)
        if span.missing:
            return words >= 3 and governed
        if words >= _LONG:
            return True
        colon = gap.strip().endswith(":") or prev in COMPLEMENTISERS
        return governed or colon

    def _listed(self, span: QuotedSpan) -> bool:
        """Another marked span joined to this one by و, a comma or على (list of names, «أ» على «ب»)."""
        before = self.text[max(0, span.start - 10) : span.start]
        after = self.text[span.end : span.end + 10]
        return bool(_JOINED_AFTER.match(after) or _JOINED_BEFORE.search(before))

    # ---- attribution -----------------------------------------------------------------------
    def run(self) -> list[ArabicQuote]:
        doc = self.doc
        cands = self.candidates
        out: list[ArabicQuote] = []
        previous: Previous | None = None
        closed = [s for s in self.spans if not s.missing]
        for span in self.spans:
            nested = any(s.start <= span.start and span.end <= s.end and s != span for s in closed)
            ctx = quote_context(cands, span.start, span.end)
            if not self._is_quote(span, ctx.gov is not None or ctx.post is not None):
                continue
            if nested and ctx.gov is None:
                continue  # a term or name inside another quote
            word = ctx.gov if ctx.gov is not None else ctx.post
            verb = self.text[doc.starts[word] : doc.ends[word]] if word is not None else None
            options = quote_options(cands, ctx, previous)
            best = frame_choice(cands, ctx, options, previous) or self.ranker.choose(options)
            speaker = best.speaker if best is not None else None
            continuation = best is not None and (
                best.candidate is None or cands.sentence_of(best.candidate.start) != ctx.sentence
            )
            out.append(ArabicQuote(span.start, span.end, speaker, verb, continuation))
            if speaker is not None:
                previous = Previous(speaker, span.end, ctx.paragraph)
        return out


def arabic_quotes(text: str, mentions: Sequence[Mention]) -> list[ArabicQuote]:
    """The direct quotes of an Arabic `text` with speakers (`mentions`: the text's entities)."""
    return ArabicAttributor(text, mentions).run()
