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
from marsad.entities.lexicon import AR_FIRST_NAMES
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


_LINKS = frozenset(fold_letters(w) for w in ("بن", "ابن", "بنت"))
_JOINED = frozenset(fold_letters(w) for w in ("عبد", "أبو", "أبي"))
_DYNASTY = fold_letters("آل")


def _name_parts(name: str) -> list[str]:
    """The folded words of a person's name: عبد/أبو joined to the word after them (عبد الله ->
    عبدالله), a leading بن/آل dropped (بن لادن is a family name alone), and a dynasty or family
    tail dropped when a nasab chain comes before it (… آل سعود, … آل خليفة): محمد بن نايف بن
    عبدالعزيز آل سعود -> محمد بن نايف بن عبدالعزيز."""
    raw = [w for w in fold_letters(name).replace("-", " ").split() if w]
    words: list[str] = []
    for w in raw:
        if words and words[-1] in _JOINED:
            words[-1] += w
        else:
            words.append(w)
    while len(words) > 1 and (words[0] in _LINKS or words[0] == _DYNASTY):
        words = words[1:]  # بن لادن, آل الشيخ: a family name alone, no first name
    if _DYNASTY in words[2:]:
        cut = words.index(_DYNASTY, 2)
        if any(w in _LINKS for w in words[:cut]):
            words = words[:cut]
    return words


def surname_key(name: str) -> str:
    """The family key of a person: the skeleton of the last word of the name, or for a nasab chain
    with no family name (محمد بن نايف بن عبدالعزيز, سلمان بن عبدالعزيز آل سعود) of the father's name
    (so that the short and long forms of one chain agree). "" when it has none."""
    words = _name_parts(name)
    if len(words) >= 3 and words[1] in _LINKS and words[-2] in _LINKS:
        sk = skeleton(words[2])
        if len(sk) >= 2:
            return sk
    for word in reversed(words):
        sk = skeleton(word)
        if len(sk) >= 2:
            return sk
    return ""


def person_key(name: str) -> str:
    """The entity key of a person: `per:` and the family key, then the first name's skeleton when
    the name has one (per:KBR.ADL for عادل الجبير and عادل بن أحمد الجبير, per:KBR for الجبير
    alone), so that two people of one family are two keys (محمد العمري, صالح العمري). A key
    starts with the family key: every person of a surname is found by that prefix."""
    family = surname_key(name)
    if not family:
        return f"per:{' '.join(name.split())}"
    words = _name_parts(name)
    first = _first_key(words[0]) if len(words) >= 2 else ""
    return f"per:{family}.{first}" if first else f"per:{family}"


def family_key(key: str) -> str:
    """A person key without its first name (per:LFRF.SRK -> per:LFRF); other keys unchanged. Story
    clustering compares persons so: an article often names only the surname."""
    return key.split(".", 1)[0] if key.startswith("per:") else key


def _first_key(word: str) -> str:
    """The first-name part of a key: its skeleton, or the folded word when the skeleton is a single
    consonant class (عوض and دي both give "D")."""
    sk = skeleton(word)
    return sk if len(sk) >= 2 else strip_accents(word).lower()


def _named_by_first(word: str, full: list[str]) -> bool:
    """A one-word name that is the distinctive first name of a full name (أيوانيس for أيوانيس
    فيتفاتزيدس); never a common first name (محمد, جون), which names many people."""
    return word == full[0] and word not in AR_FIRST_NAMES and len(skeleton(word)) >= 2


def same_person(a: str, b: str) -> bool:
    """Two person names that may be one person: same family key, compatible first names.

    A one-word name matches any longer name with its surname, or whose distinctive first name it
    is; two full names must also agree on the first name (Bashar al-Assad is not Hafez al-Assad).
    """
    wa, wb = _name_parts(a), _name_parts(b)
    if not wa or not wb:
        return False
    if (len(wa) == 1 and len(wb) > 1 and _named_by_first(wa[0], wb)) or (
        len(wb) == 1 and len(wa) > 1 and _named_by_first(wb[0], wa)
    ):
        return True
    ka, kb = surname_key(a), surname_key(b)
    if not ka or ka != kb:
        return False
    if len(wa) < 2 or len(wb) < 2:
        return True
    return _first_key(wa[0]) == _first_key(wb[0])
