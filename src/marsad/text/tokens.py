"""Word tokenization over normalized text, and the content words used for lexical signals."""

from __future__ import annotations

import re

from marsad.text.arabic import normalize

_WORD = re.compile(r"[^\W_]+(?:[.,][0-9]+)*", re.UNICODE)

# Function words dropped from lexical signals (normalized spelling). Short on purpose: the
# per-language lists from a stemmer package replace it where finer control is needed.
STOPWORDS = frozenset(
    """
    في من على الى عن مع ان او ما لا لم لن قد كان كانت هذا هذه ذلك تلك التي الذي الذين هو هي هم
    انه انها بين بعد قبل حتى اذا كما ثم ايضا كل بعض عند منذ حول خلال ضد عبر لدى وقال قال
    the a an and or of to in on for with by at from as is was were be been are that this it its
    he she they we you his her their our not but has have had will would said says also after
    le la les un une des du de et en au aux pour par sur dans est sont que qui ne pas il elle
    """.split()
)


def tokenize(text: str) -> list[str]:
    """Normalize `text` and split it into word tokens (numbers keep their decimal point)."""
    return _WORD.findall(normalize(text))


def content_words(text: str) -> list[str]:
    """Tokens that carry meaning: no stopwords, no single characters."""
    return [t for t in tokenize(text) if len(t) > 1 and t not in STOPWORDS]
