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

from marsad.dedup.groups import UNIQUE, Candidates, Link, decide, strong_links
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
        found = Candidates()
        names: dict[int, str] = {}
        seen: dict[int, repo.StoredDoc] = {}
        strong: list[Link] = []
        verified: list[tuple[int, float]] = []
        if sketch.shingles[0] > 0:
            exact = repo.first_with_hash(conn, sketch.hashes[0], self.fingerprint)
            if exact is not None:
                found.exact, names[exact[0]] = exact
                exact_doc = repo.get_doc(conn, exact[1])
                if exact_doc is not None:
                    seen[exact_doc.seq] = exact_doc
            sig = sketch.signatures[0]
            size = int(sketch.shingles[0])
            implied: list[tuple[float, repo.StoredDoc]] = []
            for doc in repo.band_candidates(conn, sketch.bands[0], self.fingerprint):
                seen[doc.seq] = doc
                score = float(np.count_nonzero(doc.signature == sig)) / p.num_perm
                if score >= p.near_threshold:
                    found.near.append((doc.seq, score))
                    names[doc.seq] = doc.article_id
                    continue
                sizes = np.array([size]), np.array([doc.shingles])
                c = float(implied_containment(np.array([score]), *sizes)[0])
                if c >= p.containment_estimate:
                    implied.append((c, doc))

            def related(a: int, b: int) -> bool:
                return self._related(conn, seen, a, b)

            strong = strong_links(found, related)
            linked = {repo.group_of(conn, names[link.other]) for link in strong}
            linked.add(None)
            primary = seen.get(strong[0].other) if strong else None
            verified = self._contained(conn, text, sketch.samples_of(0), names, linked, implied, primary)
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
        links = decide(strong, verified)
        for link in links:
            repo.record_link(conn, article_id, names[link.other], link.kind, link.score)
        first: Link | None = links[0] if links else None
        return StoredResult(
            article_id,
            repo.group_of(conn, article_id) or group_id,
            first.kind if first else UNIQUE,
            names[first.other] if first else None,
            first.score if first else 0.0,
        )

    def _similar(self, a: repo.StoredDoc, b: repo.StoredDoc) -> bool:
        jac = float(np.count_nonzero(a.signature == b.signature)) / self.params.num_perm
        sizes = np.array([a.shingles]), np.array([b.shingles])
        return max(jac, float(implied_containment(np.array([jac]), *sizes)[0])) >= self.params.merge_floor

    def _related(self, conn: sqlite3.Connection, seen: dict[int, repo.StoredDoc], a: int, b: int) -> bool:
        """Already one group, or similar enough to merge groups (see `strong_links`)."""
        da, db = seen.get(a), seen.get(b)
        if da is None or db is None:
            return False
        if repo.group_of(conn, da.article_id) == repo.group_of(conn, db.article_id):
            return True
        return self._similar(da, db)

    def _contained(
        self,
        conn: sqlite3.Connection,
        text: str,
        samples: U64,
        names: dict[int, str],
        linked: set[str | None],
        implied: list[tuple[float, repo.StoredDoc]],
        primary: repo.StoredDoc | None,
    ) -> list[tuple[int, float]]:
        """The best verified containment into a group not in `linked` (as MemoryDedupIndex)."""
        p = self.params
        mine = len(samples)

        def usable(doc: repo.StoredDoc) -> bool:
            if repo.group_of(conn, doc.article_id) in linked:
                return False
            return primary is None or self._similar(doc, primary)

        options = [(c, d) for c, d in implied if usable(d)]
        for doc, shared in repo.shared_samples(conn, samples[:_MAX_SAMPLES], self.fingerprint):
            in_other = shared / mine if mine >= p.min_samples else 0.0
            in_mine = shared / doc.samples if doc.samples >= p.min_samples else 0.0
            estimate = max(in_other, in_mine)
            if estimate >= p.containment_estimate and usable(doc):
                options.append((estimate, doc))
        own: U64 | None = None
        for estimate, doc in sorted(options, key=lambda x: (-x[0], x[1].seq)):
            body = repo.article_body(conn, doc.article_id)
            if body is None:
                score = estimate
            else:
                if own is None:
                    own = self.sketcher.shingle_set(text)
                theirs = self.sketcher.shingle_set(normalize(body))
                small, large = (own, theirs) if len(own) <= len(theirs) else (theirs, own)
                score = containment(small, large)
            if score >= p.containment_threshold:
                names[doc.seq] = doc.article_id
                return [(doc.seq, score)]
        return []


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
