"""Language identification with py3langid (its model ships inside the package, nothing downloads).

Arabic script is decided by letters, not by langid, which calls short Arabic text Persian or Urdu:
text in Arabic script is Arabic unless letters that Arabic does not use say otherwise — پ چ ژ گ
(and the Farsi ی / ک) for Persian, ٹ ڈ ڑ ں ے for Urdu. Every other script goes to py3langid
over its 97 languages. Too little text (under 12 letters) is None, never a guess. Its model (0.5 s)
loads at the first such text, outside any document's time budget, in 55 MB instead of 73
(`_CompactIdentifier`).
"""

from __future__ import annotations

import lzma
import shutil
import tempfile
from array import array
from collections import Counter
from functools import lru_cache
from typing import Any

import numpy as np
from py3langid.langid import MODEL_DIR, MODEL_FILE, RAW_FLOOR, LanguageIdentifier

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


class _CompactIdentifier(LanguageIdentifier):  # type: ignore[misc]
    """py3langid's identifier with its byte automaton (9.8 M state numbers of 17 bits, 39 MB as
    py3langid keeps them) stored as 16-bit low halves and a bit array of high bits (21 MB); the
    walk over a text's bytes reads the two. Everything else is py3langid's (tested to give its
    answers and scores)."""

    __slots__ = ("_high",)

    def __init__(self, high: bytes, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._high = high

    def _raw_score(self, text: bytes) -> Any:
        low, high, rowbase, out = self.tk_nextmove, self._high, self._rowbase, self.tk_output
        state, found = 0, []
        for letter in text:
            i = rowbase[state] + letter
            state = low[i] | ((high[i >> 3] >> (i & 7)) & 1) << 16
            f = out[state]
            if f >= 0:
                found.append(f)
        if found:
            return self._sparse_score(Counter(found), self.nb_ptc)
        return np.full(len(self.nb_classes), RAW_FLOOR, dtype=np.float32)


def _load_compact() -> LanguageIdentifier:
    """py3langid's model file (an LZMA-packed npz: ptc, pc, classes, nextmove, nextmove_row,
    out_feat), read as py3langid reads it but for the automaton's layout; py3langid's own loader
    when the file is of another layout."""
    with tempfile.TemporaryFile(suffix=".npz") as tmp:
        with lzma.open(MODEL_DIR / MODEL_FILE) as src:
            shutil.copyfileobj(src, tmp, length=1 << 20)
        tmp.seek(0)
        with np.load(tmp, allow_pickle=False) as data:
            wanted = {"ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat"}
            if not wanted <= set(data.files) or data["nextmove"].dtype != np.uint32:
                return LanguageIdentifier.from_model_file(MODEL_FILE)
            nextmove = data["nextmove"]
            if nextmove.size and int(nextmove.max()) >= 1 << 17:
                return LanguageIdentifier.from_model_file(MODEL_FILE)
            high = np.packbits(nextmove >= 1 << 16, bitorder="little").tobytes()
            low = array("H", nextmove.astype(np.uint16).tobytes())
            del nextmove
            rows = array(
                "H" if data["nextmove_row"].dtype == np.uint16 else "I", data["nextmove_row"].tobytes()
            )
            return _CompactIdentifier(
                high,
                np.asarray(data["ptc"]),
                np.asarray(data["pc"]),
                data["classes"].tolist(),
                low,
                data["out_feat"].tolist(),
                tk_row=rows,
            )


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    """py3langid's model, loaded once (never interrupted by a document's budget, nor charged to it)."""
    with unbudgeted():
        return _load_compact()
