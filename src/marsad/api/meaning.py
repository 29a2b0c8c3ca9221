"""Moved: search by meaning lives in its stage package, `marsad.embed.meaning`. Kept so callers of
`marsad.api.meaning` keep working; import from `marsad.embed.meaning`."""

from marsad.embed.meaning import MEANING_CUT, MeaningResult, MeaningSearcher, article_vector, meaning_note

__all__ = ["MEANING_CUT", "MeaningResult", "MeaningSearcher", "article_vector", "meaning_note"]
