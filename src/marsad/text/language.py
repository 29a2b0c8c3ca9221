"""Language identification with py3langid (its model ships inside the package, nothing downloads).

Arabic script is decided by letters, not by langid, which calls short Arabic text Persian or Urdu:
text in Arabic script is Arabic unless letters that Arabic does not use say otherwise — پ چ ژ گ
(and the Farsi ی / ک) for Persian, ٹ ڈ ڑ ں ے for Urdu. Every other script goes to py3langid
over its 97 languages. Too little text (under 12 letters) is None, never a guess. Its model (73 MB,
0.5 s) loads at the first such text, outside any document's time budget.
"""

from __future__ import annotations

from functools import lru_cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from marsad.boundary import unbudgeted
from marsad.text.arabic import is_arabic_script

_PERSIAN = frozenset("پچژگیک")
_URDU = frozenset("ٹڈڑںےھ")
MIN_LETTERS = 12


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of `text`, or None when there is too little text to tell."""
    sample = text[:4000]
    letters = [c for c in sample if c.isalpha()]
    if len(letters) < MIN_LETTERS:
        return None
    if is_arabic_script(sample, 0.5):
        urdu = sum(1 for c in letters if c in _URDU)
        persian = sum(1 for c in letters if c in _PERSIAN)
        # Arabic text never uses these letters; a few in a long text are names or typos.
        if urdu >= max(3, len(letters) // 100) and urdu >= persian // 3:
            return "ur"
        if persian >= max(3, len(letters) // 50):
            return "fa"
        return "ar"
    lang, _score = _identifier().classify(sample)
    return str(lang)


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    """py3langid's own model, as `py3langid.classify` loads it, loaded once (never interrupted by a
    document's budget, nor charged to it)."""
    with unbudgeted():
        return LanguageIdentifier.from_model_file(MODEL_FILE)
