"""Dedup against the SQLite store, one article at a time, inside the ingest transaction.

`StoreDedupIndex.add` sketches the article's body, finds candidates with indexed queries (equal body
hash, shared LSH band buckets, shared sampled shingles), verifies them exactly as
`MemoryDedupIndex` does (same `DedupParams`, same `decide`), records the groups, and persists the
fingerprint: nothing is rebuilt, and a later run continues from what the store holds.
`DedupStep` is the `marsad.pipeline.ArticleStep` that calls it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC

import numpy as np
import numpy.typing as npt

from marsad.dedup.decision import decide_links, signatures_related
from marsad.dedup.groups import UNIQUE, Candidates, Link
from marsad.dedup.minhash import implied_containment
from marsad.dedup.params import DedupParams
from marsad.dedup.sketch import Sketcher, containment
from marsad.records import Article
from marsad.store import dedup as repo
from marsad.text.arabic import normalize

U64 = npt.NDArray[np.uint64]
# SQLite binds at most 32,766 values per statement; a body this long is rare (about 50,000 words).
_MAX_SAMPLES = 4000


@dataclass(slots=True, frozen=True)
class StoredResult:
    """How one article joined the store's groups."""

    article_id: str
    group_id: str
    kind: str
    matched: str | None
    score: float


class StoreDedupIndex:
    """Incremental dedup over the store's fingerprints (see the module docstring)."""

    def __init__(self, params: DedupParams | None = None) -> None:
        self.params = params or DedupParams()
        self.sketcher = Sketcher(self.params)
        self.fingerprint = self.params.fingerprint()

    def add(
        self, conn: sqlite3.Connection, article_id: str, body: str, published: str | None = None
    ) -> StoredResult:
        """Check `body` against the store, record its group, persist its fingerprint.

        An article already fingerprinted is not added twice: its current group is returned.
        """
        if repo.has_doc(conn, article_id):
            row = conn.execute(
                "SELECT group_id, kind, matched_id, score FROM dedup_members WHERE article_id = ?",
                (article_id,),
            ).fetchone()
            return StoredResult(article_id, row[0], row[1], row[2], float(row[3] or 0.0))
        text = normalize(body)
        sketch = self.sketcher.sketch_normalized([text])
        p = self.params
        view = _StoreView(conn, self.sketcher, text, p.merge_floor)
        links: list[Link] = []
        if sketch.shingles[0] > 0:
            found = Candidates()
            exact = repo.first_with_hash(conn, sketch.hashes[0], self.fingerprint)
            if exact is not None:
                exact_doc = repo.get_doc(conn, exact[1])
                if exact_doc is not None:
                    found.exact = view.remember(exact_doc)
            sig = sketch.signatures[0]
            size = int(sketch.shingles[0])
            for doc in repo.band_candidates(conn, sketch.bands[0], self.fingerprint):
                seq = view.remember(doc)
                score = float(np.count_nonzero(doc.signature == sig)) / p.num_perm
                if score >= p.near_threshold:
                    found.near.append((seq, score))
                    continue
                sizes = np.array([size]), np.array([doc.shingles])
                c = float(implied_containment(np.array([score]), *sizes)[0])
                if c >= p.containment_estimate:
                    found.contained.append((seq, c))
            samples = sketch.samples_of(0)[:_MAX_SAMPLES]
            mine = len(samples)
            for doc, shared in repo.shared_samples(conn, samples, self.fingerprint):
                in_other = shared / mine if mine >= p.min_samples else 0.0
                in_mine = shared / doc.samples if doc.samples >= p.min_samples else 0.0
                estimate = max(in_other, in_mine)
                if estimate >= p.containment_estimate:
                    found.contained.append((view.remember(doc), estimate))
            # The new document's own number: after every stored one (it is stored just below).
            links = decide_links(view.NEW, found, view, p.containment_threshold)
        repo.put_doc(
            conn,
            article_id,
            params=self.fingerprint,
            body_hash=sketch.hashes[0],
            shingles=int(sketch.shingles[0]),
            signature=sketch.signatures[0],
            bands=sketch.bands[0],
            samples=sketch.samples_of(0)[:_MAX_SAMPLES],
            published=published,
            limit=p.max_posting,
        )
        group_id = repo.new_group(conn, article_id)
        for link in links:
            repo.record_link(conn, article_id, view.name(link.other), link.kind, link.score)
        first: Link | None = links[0] if links else None
        return StoredResult(
            article_id,
            repo.group_of(conn, article_id) or group_id,
            first.kind if first else UNIQUE,
            view.name(first.other) if first else None,
            first.score if first else 0.0,
        )


class _StoreView:
    """The `GroupView` of the store's groups for one new document (stored documents by `seq`).

    The new document is not stored yet while the decision runs: it is the number `NEW`, in a
    group of its own, and `verify` reads its text from memory.
    """

    NEW = 2**62

    def __init__(self, conn: sqlite3.Connection, sketcher: Sketcher, text: str, floor: float) -> None:
        self.conn, self.sketcher, self.text, self.floor = conn, sketcher, text, floor
        self.docs: dict[int, repo.StoredDoc] = {}
        self._own: U64 | None = None

    def remember(self, doc: repo.StoredDoc) -> int:
        self.docs[doc.seq] = doc
        return doc.seq

    def name(self, seq: int) -> str:
        return self.docs[seq].article_id

    def _group(self, seq: int) -> str | None:
        return None if seq == self.NEW else repo.group_of(self.conn, self.docs[seq].article_id)

    def same_group(self, a: int, b: int) -> bool:
        return a == b or (self.NEW not in (a, b) and self._group(a) == self._group(b))

    def related(self, a: int, b: int) -> bool:
        da, db = self.docs[a], self.docs[b]
        return signatures_related(da.signature, db.signature, da.shingles, db.shingles, self.floor)

    def canonical(self, a: int) -> int:
        found = repo.canonical_of(self.conn, self.docs[a].article_id)
        if found is None or found == self.docs[a].article_id:
            return a
        doc = repo.get_doc(self.conn, found)
        return a if doc is None else self.remember(doc)

    def verify(self, doc: int, other: int, estimate: float) -> float:
        body = repo.article_body(self.conn, self.docs[other].article_id)
        if body is None:
            return estimate
        if self._own is None:
            self._own = self.sketcher.shingle_set(self.text)
        own, theirs = self._own, self.sketcher.shingle_set(normalize(body))
        small, large = (own, theirs) if len(own) <= len(theirs) else (theirs, own)
        return containment(small, large)


class DedupStep:
    """The ingest step: records each article's duplicate group in the article's transaction."""

    name = "dedup"

    def __init__(self, params: DedupParams | None = None) -> None:
        self.index = StoreDedupIndex(params)

    def __call__(self, conn: sqlite3.Connection, article: Article) -> None:
        published = article.published
        if published is not None:
            published = published.replace(tzinfo=UTC) if published.tzinfo is None else published
        self.index.add(
            conn, article.id, article.body, published.astimezone(UTC).isoformat() if published else None
        )
