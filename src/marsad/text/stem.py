"""Light stemming of normalized tokens: Arabic by a maintained PyPI stemmer, others by Snowball.

Input tokens come from `marsad.text.tokens.tokenize` (already normalized: ة is ه, ى is ي, hamza
seats folded). The Arabic stemmer was chosen by measurement (`bench/stem.py`, results in
bench/out/stem.json) among tashaphyne's `ArabicLightStemmer`, Snowball's Arabic stemmer and a
Light10-style affix stripper, on three things: conflation F1 on hand-written word families
(inflections of one word must share a stem, different words must not), Pearson correlation of
stemmed-TF cosine with the SemEval-2022 Arabic pair scores, and speed. Measured:

    stemmer      family P / R / F1       SemEval ar Pearson   tokens/s
    (none)                                0.317
    tashaphyne   0.949 / 0.680 / 0.792    0.357                ~7,600
    snowball     0.968 / 0.490 / 0.651    0.374                ~9,100
    light10      0.934 / 0.688 / 0.793    0.371                ~510,000

tashaphyne conflates inflections far better than Snowball (recall 0.68 vs 0.49 at nearly the
same precision); the Pearson gap (0.017 on 56 pairs) is well inside noise. Light10 (our own few
lines, not a maintained package) matches tashaphyne and is much faster; it stays available by
name. Both PyPI stemmers are slow per call, hence the per-token cache.

Tokens of other scripts go to the Snowball stemmer of `language` when Snowball has one
(english, french, german, spanish, ...), and pass through unchanged otherwise. Results are
cached per token (news vocabulary repeats heavily).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache, lru_cache

import snowballstemmer

from marsad.text.arabic import is_arabic_script, normalize

# ISO 639-1 -> Snowball algorithm name.
_SNOWBALL = {
    "ar": "arabic", "ca": "catalan", "cs": "czech", "da": "danish", "de": "german", "el": "greek",
    "en": "english", "es": "spanish", "et": "estonian", "eu": "basque", "fa": "persian",
    "fi": "finnish", "fr": "french", "ga": "irish", "hi": "hindi", "hu": "hungarian",
    "hy": "armenian", "id": "indonesian", "it": "italian", "lt": "lithuanian", "ms": "indonesian",
    "ne": "nepali", "nl": "dutch", "no": "norwegian", "pl": "polish", "pt": "portuguese",
    "ro": "romanian", "ru": "russian", "sr": "serbian", "sv": "swedish", "ta": "tamil",
    "tr": "turkish", "yi": "yiddish",
}  # fmt: skip

# Light10 (Larkey, Ballesteros and Connell, 2002) affixes, in normalized spelling (ة -> ه).
_L10_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
_L10_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")


def light10(token: str) -> str:
    """Light10-style stripping: a leading و, one article prefix, then suffixes, keeping >= 2 letters."""
    if token.startswith("و") and len(token) > 3:
        token = token[1:]
    for prefix in _L10_PREFIXES:
        if token.startswith(prefix) and len(token) - len(prefix) >= 2:
            token = token[len(prefix) :]
            break
    for suffix in _L10_SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 2:
            token = token[: -len(suffix)]
    return token


@cache
def _snowball(algorithm: str) -> Callable[[str], str]:
    stemmer = snowballstemmer.stemmer(algorithm)
    return lambda word: str(stemmer.stemWord(word))


@cache
def _tashaphyne() -> Callable[[str], str]:
    from tashaphyne.stemming import ArabicLightStemmer

    stemmer = ArabicLightStemmer()

    def run(word: str) -> str:
        stemmer.light_stem(word)
        return str(stemmer.get_stem())

    return run


def arabic_stemmers() -> dict[str, Callable[[str], str]]:
    """The candidates compared by bench/stem.py, by name."""
    return {"tashaphyne": _tashaphyne(), "snowball": _snowball("arabic"), "light10": light10}


# Chosen by bench/stem.py (see the module docstring).
ARABIC_STEMMER = "tashaphyne"


@lru_cache(maxsize=200_000)
def _stem_arabic(token: str) -> str:
    stemmed = normalize(arabic_stemmers()[ARABIC_STEMMER](token))
    return stemmed if len(stemmed) >= 2 else token


@lru_cache(maxsize=200_000)
def _stem_other(token: str, algorithm: str) -> str:
    return _snowball(algorithm)(token)


def stem(token: str, language: str | None = None) -> str:
    """Stem one normalized token. Arabic-script tokens always use the Arabic stemmer."""
    if not token:
        return token
    if is_arabic_script(token, 0.5):
        return _stem_arabic(token)
    algorithm = _SNOWBALL.get(language or "")
    if algorithm is None or algorithm == "arabic":
        return token
    return _stem_other(token, algorithm)


def stem_tokens(tokens: Iterable[str], language: str | None = None) -> list[str]:
    """`stem` over a token sequence."""
    return [stem(t, language) for t in tokens]
