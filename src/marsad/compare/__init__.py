"""Coverage comparison: what two reports (or a story's reports) share, add, leave out, and who was first.

`compare_articles(articles)` pairs sentences and quotes that say the same thing across
paraphrase and translation (multilingual embeddings plus lexical and entity evidence, one-to-one
alignment), lists the sentences unique to each source, the quotes with their speakers, the
agencies each cites, the entities each names that the others don't, and who reported first.
`compare_story(store, story_id)` does it for a stored story.
"""

from marsad.compare.comparison import CompareConfig, analyse, compare_articles, default_embedder
from marsad.compare.records import Comparison, DocumentInfo, Pair, QuoteInfo, Side
from marsad.compare.story import compare_story

__all__ = [
    "CompareConfig",
    "Comparison",
    "DocumentInfo",
    "Pair",
    "QuoteInfo",
    "Side",
    "analyse",
    "compare_articles",
    "compare_story",
    "default_embedder",
]
