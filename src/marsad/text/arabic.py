"""The one documented normalization used by dedup, search and clustering alike.

`normalize(text)` applies, in this order:

1. Unicode NFKC (folds Arabic presentation forms and ligatures such as U+FEFB to base letters).
2. Removes zero-width and bidi control characters (ZWJ, ZWNJ, LRM, RLM, BOM, isolates).
3. Removes Arabic diacritics (tashkeel U+064B..U+065F, superscript alef U+0670, Quranic marks
   U+06D6..U+06ED) and tatweel U+0640.
4. Folds letter variants: أ إ آ ٱ -> ا ; ى -> ي ; ة -> ه ; ؤ -> و ; ئ -> ي ;
   Persian/Urdu ک -> ك, ی -> ي, ە -> ه, ۀ -> ه.
5. Arabic-Indic (٠..٩) and Persian (۰..۹) digits -> ASCII 0..9; ٫ -> . ; ٬ -> , ; ٪ -> %.
6. Punctuation: ، -> , ; ؛ -> ; ; ؟ -> ? ; every double quote form (“ ” „ ‟ « » ″ 〝 〞 ＂) -> " ;
   single quote forms (‘ ’ ‚ ‛ ′ ‹ ›) -> ' ; dashes (‐ ‑ ‒ – — ―) -> - ; ellipsis … -> ...
7. Lower case (Latin, Cyrillic, Greek...), whitespace runs -> one space, trimmed.

The mapping loses information on purpose (ة/ه, ى/ي are written interchangeably in real news);
never store the normalized text in place of the original, only beside it.
"""

from __future__ import annotations

import re
import unicodedata

_REMOVE = (
    "\u200b\u200c\u200d\u200e\u200f\ufeff\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d\u202e"
    "\u0640\u0670"
    + "".join(chr(c) for c in range(0x064B, 0x0660))
    + "".join(chr(c) for c in range(0x06D6, 0x06EE))
)

_MAP = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ى": "ي",
    "ة": "ه",
    "ؤ": "و",
    "ئ": "ي",
    "ک": "ك",
    "ی": "ي",
    "ە": "ه",
    "ۀ": "ه",
    "٫": ".",
    "٬": ",",
    "٪": "%",
    "،": ",",
    "؛": ";",
    "؟": "?",
    "“": '"',
    "”": '"',
    "„": '"',
    "‟": '"',
    "«": '"',
    "»": '"',
    "″": '"',
    "〝": '"',
    "〞": '"',
    "＂": '"',
    "‘": "'",
    "’": "'",
    "‚": "'",
    "‛": "'",
    "′": "'",
    "‹": "'",
    "›": "'",
    "‐": "-",
    "‑": "-",
    "‒": "-",
    "–": "-",
    "—": "-",
    "―": "-",
    "…": "...",
}
for _i in range(10):
    _MAP[chr(0x0660 + _i)] = str(_i)
    _MAP[chr(0x06F0 + _i)] = str(_i)

_TABLE = str.maketrans({**_MAP, **{ch: None for ch in _REMOVE}})
_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Return the normalized form of `text` (see the module docstring for every step)."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_TABLE)
    return _SPACES.sub(" ", text.lower()).strip()


def fold_letters(text: str) -> str:
    """Steps 2-5 only, keeping case, punctuation and spacing (for matching inside original text)."""
    return unicodedata.normalize("NFKC", text).translate(_TABLE)


def is_arabic_script(text: str, threshold: float = 0.3) -> bool:
    """True when at least `threshold` of the letters are Arabic script."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    arabic = sum(1 for c in letters if "\u0600" <= c <= "\u06ff" or "\u0750" <= c <= "\u077f")
    return arabic / len(letters) >= threshold
