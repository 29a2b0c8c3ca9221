"""Text processing shared by every stage: one Arabic normalization, tokens, sentences, language, stems."""

from marsad.text.arabic import fold_letters, is_arabic_script, normalize
from marsad.text.language import detect_language
from marsad.text.sentences import split_sentences
from marsad.text.stem import stem, stem_tokens
from marsad.text.tokens import STOPWORDS, content_words, tokenize

__all__ = [
    "STOPWORDS",
    "content_words",
    "detect_language",
    "fold_letters",
    "is_arabic_script",
    "normalize",
    "split_sentences",
    "stem",
    "stem_tokens",
    "tokenize",
]
