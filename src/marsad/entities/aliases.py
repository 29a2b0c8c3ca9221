"""Alias keys: one key for the spellings of one name, across articles, spellings and scripts.

A name's *skeleton* is its consonants mapped to coarse sound classes shared by Arabic and Latin
script, vowels and vowel letters dropped, repeats collapsed: لافروف, Lavrov and Lawrow all give
"LFRF"; سيرغي and سيرجي and Sergei all give "SRK". Transliteration between Arabic and Latin keeps
consonants far better than vowels, which is why vowels carry no weight.
"""

from __future__ import annotations

import re
from functools import lru_cache

from marsad.entities.folding import strip_accents
from marsad.text.arabic import fold_letters

_ARABIC_CLASS = {
    "ب": "B", "پ": "B",
    "ت": "T", "ط": "T", "ث": "T",
    "د": "D", "ض": "D", "ذ": "D",
    "س": "S", "ص": "S", "ش": "S", "ز": "S", "ظ": "S", "ژ": "S", "چ": "S",
    "ك": "K", "ق": "K", "ج": "K", "غ": "K", "خ": "K", "گ": "K",
    "ف": "F", "ڤ": "F",
    "ل": "L", "ر": "R", "م": "M", "ن": "N",
    "ه": "H", "ح": "H",
}  # fmt: skip
_LATIN_DIGRAPHS = (("sch", "S"), ("sh", "S"), ("ch", "S"), ("kh", "K"), ("gh", "K"), ("th", "T"),
                   ("ph", "F"), ("dj", "K"), ("zh", "S"), ("ts", "S"), ("ck", "K"), ("qu", "K"))  # fmt: skip
_LATIN_CLASS = {
    "b": "B", "p": "B", "t": "T", "d": "D", "s": "S", "z": "S", "c": "K", "k": "K", "q": "K",
    "g": "K", "j": "K", "x": "K", "f": "F", "v": "F", "l": "L", "r": "R", "m": "M", "n": "N",
    "h": "H",
}  # fmt: skip


_LATIN_ARTICLE = re.compile(r"^(?:al|el|ad|ar|as|an|at|ash|az)[-\s]", re.IGNORECASE)


@lru_cache(maxsize=65536)  # alias matching asks for the same words' skeletons over and over
def skeleton(name: str) -> str:
    """The consonant skeleton of one word or name (see the module docstring); "" when none."""
    text = fold_letters(name)
    word = text.strip()
    if word.startswith("ال") and len(word) > 4:
        word = word[2:]
    word = _LATIN_ARTICLE.sub("", word)
    out: list[str] = []
    low = strip_accents(word).lower()
    i = 0
    while i < len(low):
        cls = None
        for digraph, value in _LATIN_DIGRAPHS:
            if low.startswith(digraph, i):
                cls, i = value, i + len(digraph)
                break
        if cls is None:
            ch = low[i]
            cls = _ARABIC_CLASS.get(ch) or _LATIN_CLASS.get(ch)
            i += 1
        if cls and (not out or out[-1] != cls):
            out.append(cls)
    # A final H is mostly a vowel ending (ة folded to ه, "-ah"): drop it.
    if len(out) > 2 and out[-1] == "H":
        out.pop()
    return "".join(out)


def surname_key(name: str) -> str:
    """The key of a person: the skeleton of the last word of the name ("" when it has none)."""
    words = [w for w in name.replace("-", " ").split() if w]
    for word in reversed(words):
        sk = skeleton(word)
        if len(sk) >= 2:
            return sk
    return ""


def same_person(a: str, b: str) -> bool:
    """Two person names that may be one person: same surname skeleton, compatible first names.

    A one-word name matches any longer name with its surname; two full names must also agree on
    the first name's skeleton (Bashar al-Assad is not Hafez al-Assad).
    """
    ka, kb = surname_key(a), surname_key(b)
    if not ka or ka != kb:
        return False
    wa, wb = a.split(), b.split()
    if len(wa) < 2 or len(wb) < 2:
        return True
    return skeleton(wa[0]) == skeleton(wb[0])
