"""From `RawDocument` to `Article`: title, body, date, outlet, agencies; boilerplate and comments apart."""

from marsad.extract.article import extract, extract_text, warm_up

__all__ = ["extract", "extract_text", "warm_up"]
