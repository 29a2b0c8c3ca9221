"""Word tokens over letter-folded text, with offsets into the original text.

Matching names needs the folding of `marsad.text.arabic.fold_letters` (أ/إ/ا, ة/ه, ى/ي, no
diacritics) but the mentions must point into the text the reader sees. Folding removes characters
(diacritics, tatweel), so each token keeps the original start and end offsets.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from marsad.text.arabic import fold_letters

_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
# Punctuation that ends a name: a multi-word name never spans it. Quote marks and hyphens do not.
_BREAK = re.compile(r"[.,;:!?،؛()\[\]\n…/|]")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")
ARABIC_CLITICS = (
    "وبال",
    "وال",
    "فال",
    "بال",
    "كال",
    "ولل",
    "لل",
    "وب",
    "ول",
    "وك",
    "فب",
    "فل",
    "و",
    "ف",
    "ب",
    "ل",
    "ك",
)


# Characters that folding deletes (diacritics, tatweel, invisible marks) or expands (…).
_RESIZING = re.compile(
    "["
    + "".join(
        c
        for block in (range(0x0900), range(0x2000, 0x2070), range(0xFE00, 0xFF00))
        for c in map(chr, block)
        if len(fold_letters(c)) != 1
    )
    + "]"
)


@dataclass(slots=True, frozen=True)
class Token:
    """One word: `norm` is folded and lower-cased; `start`/`end` index the original text."""

    norm: str
    start: int
    end: int
    surface: str
    arabic: bool
    upper: bool
    break_before: bool


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """`fold_letters(text)` and, for each folded character, the index of its original character."""
    if unicodedata.is_normalized("NFKC", text):
        # Between the characters folding deletes or expands, one folded character per character.
        parts: list[str] = []
        offsets: list[int] = []
        prev = 0
        for m in _RESIZING.finditer(text):
            i = m.start()
            parts.append(fold_letters(text[prev:i]))
            offsets.extend(range(prev, i))
            folded_ch = fold_letters(text[i])
            parts.append(folded_ch)
            offsets.extend([i] * len(folded_ch))
            prev = i + 1
        parts.append(fold_letters(text[prev:]))
        offsets.extend(range(prev, len(text)))
        return "".join(parts), offsets
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        folded = fold_letters(ch) if ord(ch) > 127 else ch
        out.append(folded)
        origin.extend([i] * len(folded))
    return "".join(out), origin


# `Token`s built without the frozen dataclass's `__init__` (its `object.__setattr__` per field cost
# two thirds of `tokenize`): the slots are set through their descriptors, which a frozen class's
# `__setattr__` does not guard. Same object, same equality and hash.
_SLOT_SETTERS = tuple(
    Token.__dict__[name].__set__
    for name in ("norm", "start", "end", "surface", "arabic", "upper", "break_before")
)
_NEW = object.__new__
# Per distinct word: (lower-cased form, has an Arabic letter); words repeat within and across articles.
_WORD_INFO: dict[str, tuple[str, bool]] = {}
_WORD_INFO_MAX = 1 << 17


def _token(
    norm: str, start: int, end: int, surface: str, arabic: bool, upper: bool, break_before: bool
) -> Token:
    """`Token(...)` without `__init__`'s cost."""
    tok: Token = _NEW(Token)
    s_norm, s_start, s_end, s_surface, s_arabic, s_upper, s_break = _SLOT_SETTERS
    s_norm(tok, norm)
    s_start(tok, start)
    s_end(tok, end)
    s_surface(tok, surface)
    s_arabic(tok, arabic)
    s_upper(tok, upper)
    s_break(tok, break_before)
    return tok


def tokenize(text: str) -> list[Token]:
    """Word tokens of `text` with original offsets and whether punctuation separates them."""
    folded, origin = fold_with_offsets(text)
    tokens: list[Token] = []
    append = tokens.append
    arabic_letter, brk = _ARABIC_LETTER.search, _BREAK.search
    info = _WORD_INFO
    if len(info) > _WORD_INFO_MAX:
        info.clear()
    prev_end = 0
    for m in _WORD.finditer(folded):
        m_start, m_end = m.span()
        word = m.group(0)
        known = info.get(word)
        if known is None:
            known = info[word] = (word.lower(), arabic_letter(word) is not None)
        start, end = origin[m_start], origin[m_end - 1] + 1
        surface = text[start:end]
        gap = folded[prev_end:m_start]
        append(
            _token(
                known[0],
                start,
                end,
                surface,
                known[1],
                surface[:1].isupper(),
                # Most gaps are one space: no break to look for.
                not tokens or (gap != " " and brk(gap) is not None),
            )
        )
        prev_end = m_end
    return tokens


def clitic_forms(word: str) -> list[str]:
    """`word` and what it may be with an Arabic proclitic removed (والرقة -> الرقة, للرقة -> الرقة).

    The word itself comes first; a stripped form must keep at least three letters.
    """
    return list(_clitic_forms(word))


@lru_cache(maxsize=131072)  # every recognizer pass asks it for every word, over and over
def _clitic_forms(word: str) -> tuple[str, ...]:
    forms = [word]
    for clitic in ARABIC_CLITICS:
        if word.startswith(clitic) and len(word) - len(clitic) >= 3:
            rest = word[len(clitic) :]
            if clitic.endswith("ال") or clitic.endswith("لل"):
                rest = "ال" + rest
            if rest not in forms:
                forms.append(rest)
    return tuple(forms)


def strip_accents(text: str) -> str:
    """Latin accents off (é -> e), for matching French and transliterated names."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def skip_letters(text: str, start: int, letters: int) -> int:
    """The offset `letters` letters after `start`, stepping over diacritics (for clitics: وواشنطن)."""
    pos = start
    while letters > 0 and pos < len(text):
        pos += 1
        if not unicodedata.combining(text[pos - 1]):
            letters -= 1
    while pos < len(text) and unicodedata.combining(text[pos]):
        pos += 1
    return pos
