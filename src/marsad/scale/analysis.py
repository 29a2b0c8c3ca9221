"""The entity and quote stages of the map step: what `marsad ingest` stores per document, as files.

Each article is read as ingest reads it: under the document's time budget, extraction and then the
entity recognizer's evidence-free reading of the analysed part (`read_article`, the work ingest does
for the story keys in `marsad.pipeline._prepare`); outside it, the entity step's own function
(`marsad.entities.step.article_analysis`: mentions, quotes, the vague first names dropped) with no
persons known from other documents: the batch has no store, so the cross-document evidence ingest
reads from it (`marsad.entities.step._known`) is the one part left out. Whatever a stage raises
becomes the document's `Rejected`, as at ingest, where the document is then not stored.

Rows carry the document id (`id`, the content hash) and the input's `record_id` beside the fields
of `Mention.to_json` / `Quote.to_json` (the store's `mentions` and `quotes` tables, `start`/`end`
for `start_pos`/`end_pos`), and `idx`, the rank of the mention or quote in its document, as stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

import pyarrow as pa

from marsad.boundary import guarded
from marsad.entities import analysed_part, entity_scans
from marsad.entities.ner import tagger_deferred
from marsad.entities.records import Mention
from marsad.entities.step import article_analysis
from marsad.extract import extract
from marsad.extract.article import WARM_UP_DOCUMENTS
from marsad.quotes import Quote
from marsad.records import Article, RawDocument, Rejected

# The document, the input record, the rank in the document and the span: first in both tables.
_SPAN = [
    ("id", pa.string()),
    ("record_id", pa.string()),
    ("idx", pa.int64()),
    ("text", pa.string()),
    ("start", pa.int64()),
    ("end", pa.int64()),
]
MENTION_SCHEMA = pa.schema(
    [
        *_SPAN,
        ("kind", pa.string()),
        ("key", pa.string()),
        ("name", pa.string()),
        ("rule", pa.string()),
        ("field", pa.string()),
        ("role", pa.string()),
    ]
)
QUOTE_SCHEMA = pa.schema(
    [
        *_SPAN,
        ("speaker", pa.string()),
        ("speaker_key", pa.string()),
        ("verb", pa.string()),
        ("continuation", pa.bool_()),
        ("field", pa.string()),
    ]
)

# A document's mentions and quotes, as the entity step stores them.
Analysis = tuple[list[Mention], list[Quote]]


def read_article(raw: RawDocument) -> Article:
    """What ingest does to a document under its time budget: extraction, then the recognizer's
    reading of the analysed part (the tagger, the costly part of the entity stage), which
    `article_analysis` then starts from (the recognizer remembers the last few readings)."""
    article = extract(raw)
    entity_scans(analysed_part(article))
    return article


def analyse(article: Article, source: str) -> Analysis | Rejected:
    """The mentions and quotes of `article` (no known persons), or the Rejected of `source` when
    the stage raised (stage "entities")."""
    return guarded("entities", source, partial(article_analysis, article))


def warm_up_reading() -> None:
    """Load what extraction and the recognizer load lazily (parsers, gazetteers) before the first
    document's budget starts, as ingest's warm-up does; the Arabic tagger is left to load with the
    first Arabic document, outside its budget, so a run without Arabic never loads it."""
    with tagger_deferred():
        for raw in WARM_UP_DOCUMENTS.values():
            guarded("extract", raw.source, partial(read_article, raw))


def analysis_tables(rows: Sequence[tuple[str, str, Analysis]]) -> tuple[pa.Table, pa.Table]:
    """The mentions and quotes tables of `rows` (document id, record id, analysis), in row order."""
    mentions: list[dict[str, Any]] = []
    quotes: list[dict[str, Any]] = []
    for doc, record_id, (found, said) in rows:
        keys = {"id": doc, "record_id": record_id}
        mentions += [{**keys, "idx": i, **m.to_json()} for i, m in enumerate(found)]
        quotes += [{**keys, "idx": i, **q.to_json()} for i, q in enumerate(said)]
    return (
        pa.Table.from_pylist(mentions, schema=MENTION_SCHEMA),
        pa.Table.from_pylist(quotes, schema=QUOTE_SCHEMA),
    )
