"""Sentence splitting that knows Arabic punctuation and keeps quotations whole.

Rules, in order of precedence:

- A line break always ends a sentence (scraped news puts one paragraph per line).
- A sentence ends after . ! ? ؟ … or the Arabic full stop ۔ (runs such as ؟! or ... count as
  one), optionally followed by closing quotes or brackets, then whitespace; also when such a mark
  is glued to the next Arabic word ("الجمعة.وقال"), a common scraping artefact.
- The Arabic comma ، never ends a sentence. The Arabic semicolon ؛ ends one only between two long
  clauses (at least `SEMICOLON_MIN_WORDS` words on each side), as news writing uses it both ways.
- No break inside an open quotation (« », “ ”, or an odd number of straight quotes), after a
  single letter (initials "J. K.", the Arabic "د." for doctor), after a known abbreviation
  (Mr., Dr., U.S., e.g., Jan., ...), or inside a number (3.5 has no space).
- No break inside a Latin acronym spelled out in Arabic letter names, one dot a letter
  ("إم.إتش. 370", "تي.إن.تي", "يو. بي. إس", "(إم.دي.بي.)"): after a letter name followed by
  another one (glued, dotted, or ending a run of two or more), or after the last of two or more
  when a number or a closing bracket follows (the flight "إم. إتش. 370").
- An attribution tail written as a sentence of its own after a quote ("… التنسيق”. بحسب ما نقلت
  عنه وكالة تاس الحكومية للأنباء.") goes back to the sentence it attributes: a short sentence
  opening with "بحسب" / "حسبما" / "وفقا لما" / "according to" / "selon", with no comma and no
  clause of its own ("بحسب الوكالة، قتل 3" or "بحسب الوكالة فإن ..." stay sentences).
"""

from __future__ import annotations

import re

from marsad.text.arabic import normalize

SEMICOLON_MIN_WORDS = 8

_ARABIC_LETTER = "\u0621-\u064a\u066e-\u06d3\u06fa-\u06ff"
# Candidate ends: terminal punctuation (+ closing quotes/brackets) then space, or glued to an
# Arabic letter; and the Arabic semicolon, decided later by clause length.
_END = re.compile(rf"(?:[.!?؟…۔]+[\"”»’'\)\]]*(?:\s+|(?=[{_ARABIC_LETTER}])))|(?:؛\s*)")
_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof st sr jr gen col lt sgt capt gov sen rep rev mt ft inc ltd co corp vs etc
    e.g i.e a.m p.m u.s u.k u.n no nos vol jan feb mar apr jun jul aug sep sept oct nov dec
    mme mlle m st ste av
    """.split()
)
# Latin letters as Arabic spells them out in acronyms (normalized: أإآ -> ا, ة -> ه, ى -> ي).
_LETTER_NAMES = frozenset(
    """
    اي ايه بي سي دي اي اف جي اتش اش اي جاي كي كيه ال ام ان او بي كيو ار اس تي يو في دبليو
    اكس واي زد زي
    """.split()
)
_ATTRIBUTION_TAIL = re.compile(
    r"^(?:بحسب|حسب|حسبما|وفق|وفقا|وفقاً|طبقا|طبقاً|نقلا|نقلاً)\s|^(?:according to|selon)\s", re.IGNORECASE
)
_TAIL_MAX_WORDS = 10
# A clause of its own: a comma, or "that" opening one ("بحسب الوكالة فإن ...", "selon lui que").
_OWN_CLAUSE = re.compile(r"[,،:؛]|(?:^|\s)(?:فإن|إن|أن|ان|that|que|qu')(?:\s|$)")
# The dotted words ending a chunk ("(إم.إتش." -> "إم.إتش."), and the dotted word opening the rest.
_DOTTED_TAIL = re.compile(r"(?:[^\s.(«“\"]+\.\s?)+$")
_WORD_HEAD = re.compile(r"([^\s.]+)")
_CLOSERS = "\"”»’')]"
_OPENING = "«“"
_CLOSING = "»”"


def _last_word(text: str) -> str:
    match = re.search(r"([^\s\"“«(]+)$", text)
    return match.group(1) if match else ""


def _is_abbreviation(chunk: str) -> bool:
    """True when `chunk` ends in "X." where X is a single letter or a known abbreviation."""
    if not chunk.endswith("."):
        return False
    word = _last_word(chunk[:-1]).lower()
    if not word:
        return False
    return (len(word) == 1 and word.isalpha()) or word in _ABBREVIATIONS


def _letter_name(word: str) -> bool:
    w = normalize(word.rstrip("."))
    return w in _LETTER_NAMES or (w[:1] in "وبل" and w[1:] in _LETTER_NAMES and len(w) > 2)


def _inside_acronym(chunk: str, after: str) -> bool:
    """True when `chunk` (with the spaces after its mark) ends in a spelled-out letter's dot inside
    an acronym (see the module docstring), dots glued ("تي.إن.تي", "إم.إتش.") or spaced; `after`
    is the text following the break."""
    glued = not chunk[-1:].isspace()
    chunk = chunk.rstrip()
    core = chunk.rstrip(_CLOSERS)
    chain = _DOTTED_TAIL.search(core)
    letters = re.findall(r"([^\s.]+)\.", chain.group(0)) if chain else []
    if not letters or not _letter_name(letters[-1]):
        return False
    several = len(letters) >= 2 and _letter_name(letters[-2])
    if core != chunk:  # closed by a bracket or quote: "(إم.دي.بي.)"
        return several
    nxt = _WORD_HEAD.match(after)
    if nxt is not None and _letter_name(nxt.group(1)):  # another letter: glued, dotted, or the last
        return glued or after[nxt.end() : nxt.end() + 1] == "." or several
    return several and after[:1].isdigit()


def is_attribution_tail(sentence: str) -> bool:
    """Whether `sentence` only says whom the previous sentence is according to (module docstring)."""
    text = sentence.strip()
    return (
        _ATTRIBUTION_TAIL.match(text) is not None
        and len(text.split()) <= _TAIL_MAX_WORDS
        and _OWN_CLAUSE.search(text) is None
    )


def _inside_quote(chunk: str) -> bool:
    opened = sum(chunk.count(c) for c in _OPENING) - sum(chunk.count(c) for c in _CLOSING)
    return opened > 0 or chunk.count('"') % 2 == 1


def _split_paragraph(para: str) -> list[str]:
    sentences: list[str] = []
    start = 0
    for m in _END.finditer(para):
        chunk = para[start : m.end()]
        body = chunk.rstrip()
        if "؛" in m.group(0):
            after = para[m.end() :]
            before_words = len(para[start : m.start()].split())
            after_words = len(re.split(r"[.!?؟…۔\n]", after, maxsplit=1)[0].split())
            if before_words < SEMICOLON_MIN_WORDS or after_words < SEMICOLON_MIN_WORDS:
                continue
        elif _is_abbreviation(body) or _inside_acronym(chunk, para[m.end() :]):
            continue
        if _inside_quote(chunk):
            continue
        _append(sentences, body.strip())
        start = m.end()
    _append(sentences, para[start:].strip())
    return sentences


def _append(sentences: list[str], sentence: str) -> None:
    """Add `sentence`, joined to the one before when it is only its attribution tail."""
    if not sentence:
        return
    if sentences and is_attribution_tail(sentence):
        sentences[-1] = f"{sentences[-1]} {sentence}"
    else:
        sentences.append(sentence)


def split_sentences(text: str) -> list[str]:
    """Split `text` into sentences (see the module docstring for the rules)."""
    sentences: list[str] = []
    for para in re.split(r"\n+", text):
        para = para.strip()
        if para:
            sentences.extend(_split_paragraph(para))
    return sentences
