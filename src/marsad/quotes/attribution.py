"""Who said each quote, and with which verb.

For each direct quote the attribution is looked for, in order:
1. a speech verb before the quote in the same sentence (وصرح لافروف ... “…”, Lavrov said: "…",
   selon X, « … »): the speaker is the person (or organisation) named right after the verb,
   else - for a participle (قائلا:, مضيفا) - the subject named earlier in the sentence;
2. an attribution after the quote ("…," said Lavrov / "…," Lavrov said / « … », a déclaré X);
3. a continuation verb (وأضاف “…”, وتابع قائلا:, he added, a-t-il ajouté) or a pronoun credits
   the previous speaker: the last person quoted or said to speak.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from marsad.entities.folding import Token, clitic_forms, tokenize
from marsad.entities.lexicon import (
    AR_CONTINUATION,
    AR_PARTICIPLES,
    AR_SPEECH_VERBS,
    LATIN_SPEECH_VERBS,
    LATIN_STOP,
    PRONOUNS,
)
from marsad.entities.records import Mention
from marsad.quotes.marks import QuotedSpan, find_quoted_spans
from marsad.quotes.records import Quote

_SENTENCE_END = re.compile(r"[.!?؟]\s|\n")
_FINAL = re.compile(r"[.!?؟…]\W*$")
_LATIN_CONTINUATION = frozenset({"added", "continued", "ajouté", "ajoute", "poursuivi", "poursuit"})
_QUOTE_CHARS = '"“”«»„‟'
_MIN_WORDS = 6  # shorter quoted spans are mostly names, titles, slogans: they need an attribution


def _is_speech(tok: Token) -> str | None:
    """The speech verb form of `tok` ("قال", "مضيفا", "said"), or None."""
    if tok.arabic:
        return next((f for f in clitic_forms(tok.norm) if f in AR_SPEECH_VERBS or f in AR_PARTICIPLES), None)
    return tok.norm if tok.norm in LATIN_SPEECH_VERBS else None


class _Doc:
    def __init__(self, text: str, mentions: Sequence[Mention]) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.people = [m for m in mentions if m.kind == "person"]
        self.named = [m for m in mentions if m.kind in {"person", "org", "agency"}]

    def sentence_start(self, pos: int, floor: int) -> int:
        cut = floor
        for m in _SENTENCE_END.finditer(self.text, floor, pos):
            cut = m.end()
        return cut

    def sentence_end(self, pos: int, ceiling: int) -> int:
        for m in _SENTENCE_END.finditer(self.text, pos, ceiling):
            word = re.search(r"(\w+)\W*$", self.text[max(pos, m.start() - 6) : m.start() + 1])
            if m.group(0) != "\n" and word and len(word.group(1)) <= 3 and word.group(1)[:1].isupper():
                continue  # an abbreviation before a name: "Cpl. Jesse O'Donaghey told"
            return m.start() + 1
        return ceiling

    def tokens_in(self, start: int, end: int) -> list[Token]:
        return [t for t in self.tokens if t.start >= start and t.end <= end]

    def entity_in(self, start: int, end: int, kinds: Sequence[Mention]) -> Mention | None:
        return next((m for m in kinds if m.start >= start and m.end <= end), None)


def _words(text: str) -> int:
    return len(re.findall(r"[^\W_]+", text))


def _direct(doc: _Doc, span: QuotedSpan) -> bool:
    """A quote, not a scare-quoted name or term: long enough, or introduced by a colon."""
    inner = doc.text[span.start : span.end]
    if _words(inner) >= _MIN_WORDS:
        return True
    if _words(inner) < 2:
        return False
    before = doc.text[max(0, span.start - 3) : span.start - 1].strip()
    if before.endswith(":"):
        return True
    near = [t for t in doc.tokens if t.end <= span.start][-3:] + [
        t for t in doc.tokens if t.start >= span.end
    ][:3]
    return any(_is_speech(t) for t in near)


_PHRASE_SKIP = frozenset({"to", "à", "a", "as", "by", "par", "that", "qu", "que", "ان", "انه", "بان", "لـ"})


def _speaker_after_verb(doc: _Doc, verb: Token, limit: int) -> Mention | None:
    """The person or organisation named within six words after `verb` (and before `limit`);
    else the short noun phrase right after it ("according to Deadline", "asked one user")."""
    after = [t for t in doc.tokens if t.start >= verb.end and t.end <= limit][:6]
    if not after:
        return None
    named = doc.entity_in(after[0].start, after[-1].end, doc.named)
    if named is not None or after[0].break_before:
        return named
    words = after[1:] if after[0].norm in {"to", "à"} else after
    phrase: list[Token] = []
    for t in words[:3]:
        if (phrase and t.break_before) or t.norm in _PHRASE_SKIP or t.norm in PRONOUNS:
            break
        phrase.append(t)
    if not phrase or (phrase[0].norm in LATIN_STOP and not phrase[0].upper):
        return None
    text = doc.text[phrase[0].start : phrase[-1].end]
    return Mention(text, phrase[0].start, phrase[-1].end, "phrase", "", text, "attribution")


def _before(
    doc: _Doc, span: QuotedSpan, floor: int, last: Mention | None
) -> tuple[Mention | None, str | None, bool] | None:
    """Attribution from the sentence before the quote: (speaker, verb, continuation) or None."""
    start = doc.sentence_start(span.start - 1, floor)
    toks = doc.tokens_in(start, span.start)
    verbs = [(t, v) for t in toks if (v := _is_speech(t))]
    if not verbs:
        subject = doc.entity_in(start, span.start, doc.people)
        if subject is not None and doc.text[start : span.start].rstrip().endswith((":", "،", ",")):
            return subject, None, False
        return None
    tok, verb = verbs[-1]
    shown = tok.surface
    named = _speaker_after_verb(doc, tok, span.start)
    if verb in AR_PARTICIPLES:
        # "وأكد الوزير الروسي أن ... قائلا:": the subject named earlier in the sentence.
        subject = doc.entity_in(start, tok.start, doc.people) or doc.entity_in(start, tok.start, doc.named)
        if subject is not None:
            return subject, shown, False
        first = verbs[0][1]
        return last, shown, last is not None and (first in AR_CONTINUATION or len(verbs) > 1)
    if named is not None:
        return named, shown, False
    # "وأضاف “…”", "وقال “…”" with no subject: the previous speaker goes on.
    return last, shown, last is not None


def _after(
    doc: _Doc, span: QuotedSpan, ceiling: int, last: Mention | None
) -> tuple[Mention | None, str | None, bool] | None:
    """'"…," said Lavrov' / '"…," Lavrov said' / '« … », a-t-il ajouté': attribution after the quote."""
    end = doc.sentence_end(span.end + 1, ceiling)
    toks = doc.tokens_in(span.end, end)[:8]
    for k, tok in enumerate(toks):
        verb = _is_speech(tok)
        if verb is None or tok.arabic:
            continue
        window_start = toks[0].start
        window_end = toks[min(k + 5, len(toks) - 1)].end
        named = doc.entity_in(window_start, window_end, doc.named)
        if named is not None:
            return named, tok.surface, False
        pronoun = any(t.norm in PRONOUNS or t.norm.endswith(("-il", "-elle")) for t in toks[: k + 3])
        if pronoun or verb in _LATIN_CONTINUATION:
            return last, tok.surface, last is not None
        return None, tok.surface, False
    return None


def extract_quotes_from(text: str, mentions: Sequence[Mention], *, field: str = "body") -> list[Quote]:
    """Direct quotes of `text` with speaker and verb; `mentions` are the entities of the same text."""
    doc = _Doc(text, [m for m in mentions if m.field == field])
    spans = [s for s in find_quoted_spans(text) if _direct(doc, s)]
    speakers = _speech_subjects(doc)
    quotes: list[Quote] = []
    last: Mention | None = None
    floor = 0
    for n, span in enumerate(spans):
        for pos, m in speakers:
            if floor <= pos < span.start:
                last = m
        ceiling = spans[n + 1].start - 1 if n + 1 < len(spans) else len(text)
        found = _before(doc, span, floor, last)
        if found is None or found[0] is None:
            found = _after(doc, span, ceiling, last) or found
        if found is None and last is not None and quotes and _goes_on(doc, quotes[-1].end, span.start):
            found = (last, None, True)  # a paragraph that is only a quote continues the last speaker
        speaker, verb, continuation = found if found else (None, None, False)
        quote = Quote(
            text=text[span.start : span.end],
            start=span.start,
            end=span.end,
            speaker=speaker.name if speaker else None,
            speaker_key=speaker.key if speaker and speaker.key else None,
            verb=verb,
            continuation=continuation,
            field=field,
        )
        if quotes and _split_pair(text, quotes[-1], quote):
            quote = _join(text, quotes.pop(), quote)
        quotes.append(quote)
        if speaker is not None and speaker.kind == "person":
            last = speaker
        floor = span.end + 1
    return quotes


def _goes_on(doc: _Doc, prev_end: int, start: int) -> bool:
    """Only quote marks, spaces and at most a short attribution lie between two quotes."""
    between = doc.text[prev_end:start]
    return _words(between) <= 6 and not any(m.start >= prev_end and m.end <= start for m in doc.people)


def _speech_subjects(doc: _Doc) -> list[tuple[int, Mention]]:
    """Persons said to speak outside quotes ("وقال لافروف إن", "Lavrov said that"), by position."""
    out: list[tuple[int, Mention]] = []
    for m in doc.people:
        toks = [t for t in doc.tokens if t.end <= m.start][-1:] + [t for t in doc.tokens if t.start >= m.end][
            :2
        ]
        if any(_is_speech(t) for t in toks) or m.rule == "speech":
            out.append((m.start, m))
    return out


def _split_pair(text: str, first: Quote, second: Quote) -> bool:
    """“Part one,” he said, “part two.” - one quote cut by its attribution."""
    gap = text[first.end : second.start]
    if "\n" in gap or _FINAL.search(first.text) or _words(gap) > 8 or _words(gap) == 0:
        return False
    if re.search(r"[.!?؟]\s", gap):
        return False
    gap_tokens = tokenize(gap)
    has_verb = any(_is_speech(t) for t in gap_tokens)
    continuing = any(t.arabic and t.norm in {"واضاف", "وتابع"} for t in gap_tokens[:1])
    return has_verb and not continuing and (second.speaker_key in (None, first.speaker_key))


def _join(text: str, first: Quote, second: Quote) -> Quote:
    return Quote(
        text=f"{first.text.rstrip(' ,،')} {second.text}",
        start=first.start,
        end=second.end,
        speaker=first.speaker or second.speaker,
        speaker_key=first.speaker_key or second.speaker_key,
        verb=first.verb or second.verb,
        continuation=first.continuation and second.continuation,
        field=first.field,
    )


def strip_marks(text: str) -> str:
    """Quote text without surrounding marks or spaces (for display and comparison)."""
    return text.strip().strip(_QUOTE_CHARS).strip()
