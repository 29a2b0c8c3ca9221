"""Text processing shared by every stage: one Arabic normalization, tokens, sentences, language."""

from marsad.text.arabic import normalize
from marsad.text.tokens import tokenize

__all__ = ["normalize", "tokenize"]
