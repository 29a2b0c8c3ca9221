"""Story comparisons computed when a story changes, not on a reader's first visit.

An ingest run records the stories it assigned articles to; at its end (still holding the writer
lock), `refresh_comparisons` computes the comparison of each changed story and keeps it in the store
(`cached_story_comparison`, keyed by the story's members and the compare settings), which is where the
story page and `GET /api/stories/{id}` read it. The work is bounded: stories outside
[2, `max_articles`] articles are not compared (the page does not show them either), and the run
stops after `budget` seconds; a story left out is compared on its first visit as before. One story's
failure is logged and counted, never the ingest's failure.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from marsad.boundary import guarded
from marsad.embed.base import Embedder
from marsad.records import Rejected
from marsad.store import Store
from marsad.store import stories as story_repo

log = logging.getLogger("marsad.compare")


@dataclass(slots=True)
class RefreshReport:
    """What one refresh did: comparisons made or found current, stories left out and why."""

    compared: int = 0
    out_of_range: int = 0  # one article, or more than max_articles
    failed: int = 0
    left: int = 0  # not reached within the budget
    seconds: float = 0.0


def refresh_comparisons(
    store: Store,
    story_ids: Iterable[str],
    *,
    max_articles: int,
    budget: float,
    embedder: Embedder | None = None,
) -> RefreshReport:
    """Compute and store the comparison of every story in `story_ids` (see the module doc)."""
    from marsad.compare.story import cached_story_comparison

    report = RefreshReport()
    started = time.monotonic()
    pending = sorted(set(story_ids))
    for n, story_id in enumerate(pending):
        if budget > 0 and time.monotonic() - started > budget:
            report.left = len(pending) - n
            break
        summary = story_repo.get_story(store, story_id)
        if summary is None or not 2 <= summary.size <= max_articles:
            report.out_of_range += 1
            continue
        # The same call, embedder and settings as the story page's, so the page finds it stored.
        done = guarded(
            "compare", story_id, partial(cached_story_comparison, store, story_id, embedder=embedder)
        )
        if isinstance(done, Rejected):
            log.warning("comparison of %s not stored: %s", story_id, done.detail)
            report.failed += 1
        else:
            report.compared += 1
    report.seconds = time.monotonic() - started
    return report
