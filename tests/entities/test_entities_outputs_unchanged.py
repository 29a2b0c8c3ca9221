"""The entities and quotes of 100 real events-dev articles are those the code gave before the
speed work of issue 14 (a refactor for speed must not change a single mention or quote).

The digest below was computed from the code before that work; the test recomputes it from
../shared data and skips when the data is absent. A deliberate change of output updates it
(`python tests/entities/test_entities_outputs_unchanged.py` prints the current digest)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from marsad.entities import analysed_part, extract_entities
from marsad.quotes import extract_quotes
from marsad.records import Article

EVENTS = (
    Path(__file__).resolve().parents[2].parent / "shared" / "data" / "saudinewsnet-events-dev" / "dev.jsonl"
)
ARTICLES = 100
DIGEST = "6217bfc2ba24af74fe8f027a96096e313ff988ad1538ab4bb226a284b8069c71"


def outputs_digest(path: Path = EVENTS, n: int = ARTICLES) -> str:
    """sha256 over the repr of every mention and quote of the first `n` articles of `path`."""
    h = hashlib.sha256()
    for line in path.read_text(encoding="utf-8").splitlines()[:n]:
        rec = json.loads(line)
        text = rec["text"].strip()
        article = analysed_part(
            Article(
                id=rec["id"],
                url=None,
                outlet=rec["source"],
                title=rec["title"],
                body=text,
                paragraphs=tuple(p for p in text.split("\n") if p.strip()),
                published=None,
                language="ar",
            )
        )
        mentions = extract_entities(article)
        quotes = extract_quotes(article, mentions)
        h.update(repr((rec["id"], mentions, quotes)).encode("utf-8"))
    return h.hexdigest()


@pytest.mark.skipif(not EVENTS.is_file(), reason=f"events-dev data absent ({EVENTS})")
def test_entities_and_quotes_unchanged_on_events_dev() -> None:
    assert outputs_digest() == DIGEST


if __name__ == "__main__":
    print(outputs_digest())
