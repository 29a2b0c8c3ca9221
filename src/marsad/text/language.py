"""Language identification with py3langid (its model ships inside the package)."""

from __future__ import annotations

import py3langid

from marsad.text.arabic import is_arabic_script


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of `text`, or None when there is too little text to tell.

    Arabic script is decided directly (langid sometimes calls short Arabic text Persian or Urdu,
    which marsad does not target).
    """
    sample = text[:4000]
    if sum(1 for c in sample if c.isalpha()) < 12:
        return None
    if is_arabic_script(sample, 0.5):
        return "ar"
    lang, _score = py3langid.classify(sample)
    return str(lang)
