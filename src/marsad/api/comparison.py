"""The side-by-side comparison of a story's sources, from `marsad.compare` when it is installed.

`marsad.compare` is imported on first use; when it fails on a story the story page and API still
answer, with `comparison_status` saying why there is no comparison. Results are kept in a small
in-process LRU keyed by the story's member list, so a story recomputes only when an article joins it.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from marsad.api.schemas import ComparisonOut, ComparisonStatus
from marsad.errors import InputError
from marsad.store import Store
from marsad.store.stories import StorySummary

log = logging.getLogger("marsad.api")

CompareFn = Callable[[Store, str], dict[str, Any]]


def find_compare_story() -> CompareFn | None:
    """The function (store, story_id) -> comparison JSON: `marsad.compare.story.cached_story_comparison`
    (results kept in the store, keyed by members and settings). Imported on first use: the comparison
    loads its models only when a story page asks for one."""
    from marsad.compare.story import cached_story_comparison

    return cached_story_comparison


@dataclass(slots=True, frozen=True)
class ComparisonResult:
    status: ComparisonStatus
    comparison: ComparisonOut | None
    note: str | None


class ComparisonService:
    """Compares stories on demand, bounded by `max_articles`, caching the last `cache_size` results."""

    def __init__(self, max_articles: int, cache_size: int = 256) -> None:
        self.max_articles = max_articles
        self.cache_size = cache_size
        self._cache: OrderedDict[tuple[str, tuple[str, ...]], ComparisonResult] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def available(self) -> bool:
        return find_compare_story() is not None

    def for_story(self, store: Store, story: StorySummary) -> ComparisonResult:
        """The comparison of `story`'s articles, or a result whose status and note say why not."""
        if story.size < 2:
            return ComparisonResult("skipped", None, "a story with one article has nothing to compare")
        if story.size > self.max_articles:
            return ComparisonResult(
                "skipped",
                None,
                f"this story has {story.size} articles; side-by-side comparison is limited to"
                f" {self.max_articles} (raise compare_max_articles in the API settings)",
            )
        compare = find_compare_story()
        if compare is None:
            return ComparisonResult(
                "unavailable", None, "comparison unavailable: the marsad.compare module is not installed"
            )
        key = (story.id, story.article_ids)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached
        result = self._compute(compare, store, story.id)
        with self._lock:
            self._cache[key] = result
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return result

    def _compute(self, compare: CompareFn, store: Store, story_id: str) -> ComparisonResult:
        try:
            return ComparisonResult("ok", ComparisonOut.model_validate(compare(store, story_id)), None)
        except InputError as exc:
            return ComparisonResult("skipped", None, exc.args[0])
        except ValidationError as exc:
            log.warning("comparison of %s does not match the contract: %s", story_id, exc)
            return ComparisonResult(
                "error", None, "comparison failed: its output does not match the compare contract"
            )
        except Exception as exc:  # one story's comparison must never take the page down
            log.exception("comparison of %s failed", story_id)
            return ComparisonResult("error", None, f"comparison failed: {type(exc).__name__}")
