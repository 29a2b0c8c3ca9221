"""Helpers the page templates call: text direction, safe links, and highlight segments.

Nothing here produces markup: templates receive plain strings and flags and Jinja escapes every
string, so article text can never become HTML.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from markupsafe import Markup

from marsad.api.schemas import ComparisonOut
from marsad.text.arabic import normalize
from marsad.text.sentences import split_sentences

_RTL_RANGES = (
    (0x0590, 0x08FF),  # Hebrew, Arabic, Syriac, Arabic Supplement, Thaana, NKo, Samaritan, Arabic Ext-A
    (0xFB1D, 0xFDFF),  # Hebrew and Arabic presentation forms A
    (0xFE70, 0xFEFF),  # Arabic presentation forms B
)


def _is_rtl_letter(ch: str) -> bool:
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in _RTL_RANGES)


def text_dir(text: str | None, threshold: float = 0.4) -> str:
    """'rtl' when at least `threshold` of the letters are right-to-left script, 'ltr' when some letters
    are and fewer are RTL, 'auto' when there are no letters (digits, punctuation, empty)."""
    if not text:
        return "auto"
    letters = [c for c in text[:2000] if c.isalpha()]
    if not letters:
        return "auto"
    rtl = sum(1 for c in letters if _is_rtl_letter(c))
    return "rtl" if rtl / len(letters) >= threshold else "ltr"


RTL_LANGUAGES = frozenset({"fa", "ur", "he", "ps", "ckb", "yi", "dv", "sd", "ug", "ku"})


def language_dir(language: str | None, fallback_text: str | None = None) -> str:
    """'rtl' for Arabic (ar, ary, arz, ...) and other right-to-left languages, else from the text."""
    if language and (language.startswith("ar") or language in RTL_LANGUAGES):
        return "rtl"
    if language:
        return "ltr"
    return text_dir(fallback_text)


def majority_dir(languages: Iterable[str | None]) -> str:
    """'rtl' when most of `languages` are written right to left: the order of side-by-side columns."""
    dirs = [language_dir(lang) for lang in languages]
    return "rtl" if dirs and dirs.count("rtl") * 2 > len(dirs) else "ltr"


def isolate(text: str, cls: str = "") -> Markup:
    """`text` (escaped) in a `<bdi>` with its own direction, to put inside a translated sentence."""
    klass = Markup(' class="{}"').format(cls) if cls else Markup("")
    return Markup('<bdi{} dir="{}">{}</bdi>').format(klass, text_dir(text), text)


def code(text: str) -> Markup:
    """`text` (escaped) as inline code, left to right whatever the sentence around it."""
    return Markup('<code dir="ltr">{}</code>').format(text)


def safe_href(url: str | None) -> str | None:
    """`url` when it is an absolute http(s) link, else None: javascript:, data: and the rest never
    become links."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()


@dataclass(slots=True, frozen=True)
class Mark:
    """Why a piece of text is highlighted: a claim other sources carry too (a sentence or a quote), or
    one only its source carries ("unique")."""

    kind: str  # "quote" | "sentence" | "unique"
    claim: str | None = None


@dataclass(slots=True, frozen=True)
class Segment:
    text: str
    mark: Mark | None = None


@dataclass(slots=True)
class _Paragraph:
    """A paragraph with its sentences located once: (start, end, normalized text)."""

    text: str
    sentences: list[tuple[int, int, str]]

    @classmethod
    def of(cls, text: str) -> _Paragraph:
        found: list[tuple[int, int, str]] = []
        cursor = 0
        for sentence in split_sentences(text):
            start = text.find(sentence, cursor)
            if start >= 0:
                cursor = start + len(sentence)
                found.append((start, cursor, normalize(sentence)))
        return cls(text, found)

    def locate(self, needle: str, target: str) -> tuple[int, int] | None:
        """Where `needle` (normalized: `target`) sits: exactly, else the sentence it normalizes into."""
        at = self.text.find(needle)
        if at >= 0:
            return at, at + len(needle)
        for start, end, norm in self.sentences:
            if target in norm or (len(norm) > 20 and norm in target):
                return start, end
        return None


def _segments(paragraph: str, spans: list[tuple[int, int, Mark]]) -> list[Segment]:
    spans.sort(key=lambda span: span[0])
    out: list[Segment] = []
    pos = 0
    for start, end, mark in spans:
        if start > pos:
            out.append(Segment(paragraph[pos:start]))
        out.append(Segment(paragraph[start:end], mark))
        pos = end
    if pos < len(paragraph):
        out.append(Segment(paragraph[pos:]))
    return out


def _place(
    paragraphs: list[_Paragraph], wanted: Sequence[tuple[str, Mark]]
) -> list[list[tuple[int, int, Mark]]]:
    """Spans per paragraph: each wanted text marked once, where it first occurs; earlier entries win
    overlaps."""
    spans: list[list[tuple[int, int, Mark]]] = [[] for _ in paragraphs]
    for needle, mark in wanted:
        needle = needle.strip()
        target = normalize(needle)
        if not needle or not target:
            continue
        for i, para in enumerate(paragraphs):
            found = para.locate(needle, target)
            if found is None:
                continue
            start, end = found
            if all(end <= s or start >= e for s, e, _ in spans[i]):
                spans[i].append((start, end, mark))
            break
    return spans


def segments(paragraph: str, wanted: Sequence[tuple[str, Mark]]) -> list[Segment]:
    """`paragraph` cut into plain and marked segments; earlier `wanted` entries win overlaps."""
    return _segments(paragraph, _place([_Paragraph.of(paragraph)], wanted)[0])


def marks_for(comparison: ComparisonOut | None, doc_id: str) -> list[tuple[str, Mark]]:
    """What to highlight in `doc_id`: the sentences of every claim it carries, quotes first; a claim
    only it carries is marked "unique". A mark's `claim` is the claim id, so every sentence of one
    claim (in every column) lights up together."""
    if comparison is None:
        return []
    wanted: list[tuple[str, Mark]] = []
    for claim in sorted(comparison.claims, key=lambda c: c.kind != "quote"):
        text = claim.texts.get(doc_id)
        if text is None:
            continue
        kind = "unique" if len(claim.outlets) < 2 else claim.kind
        # A claim's wording joins the sentences it takes: mark each where it stands.
        wanted.extend((sentence, Mark(kind, claim.id)) for sentence in split_sentences(text) or [text])
    return wanted


def marked_paragraphs(
    paragraphs: Iterable[str], comparison: ComparisonOut | None, doc_id: str
) -> list[list[Segment]]:
    """Every paragraph of `doc_id` as highlight segments for the side-by-side view."""
    texts = list(paragraphs)
    wanted = marks_for(comparison, doc_id)
    if not wanted:
        return [[Segment(t)] for t in texts]
    prepared = [_Paragraph.of(t) for t in texts]
    return [_segments(t, spans) for t, spans in zip(texts, _place(prepared, wanted), strict=True)]
