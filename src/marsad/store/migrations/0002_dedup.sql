-- Dedup: per-article fingerprints, LSH band buckets, sampled shingles, duplicate groups.
-- 64-bit hashes are stored as signed INTEGER (the uint64 bit pattern read as int64).
CREATE TABLE dedup_docs (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,          -- arrival order, the tie-break for the canonical member
    params     TEXT NOT NULL,             -- DedupParams.fingerprint() that made the signature
    body_hash  TEXT NOT NULL,             -- xxh3-128 of the normalized body
    shingles   INTEGER NOT NULL,          -- number of shingle occurrences (0: nothing to compare)
    samples    INTEGER NOT NULL,          -- distinct sampled shingles (containment index)
    signature  BLOB NOT NULL,             -- num_perm little-endian uint32 MinHash slots
    published  TEXT                       -- UTC ISO 8601, or NULL when undated
);
CREATE INDEX dedup_docs_hash ON dedup_docs(body_hash);
CREATE INDEX dedup_docs_seq ON dedup_docs(seq);

CREATE TABLE dedup_bands (
    key        INTEGER NOT NULL,          -- band bucket: hash of (band number, rows of the band)
    article_id TEXT NOT NULL REFERENCES dedup_docs(article_id) ON DELETE CASCADE,
    PRIMARY KEY (key, article_id)
) WITHOUT ROWID;

CREATE TABLE dedup_samples (
    hash       INTEGER NOT NULL,          -- a sampled shingle hash
    article_id TEXT NOT NULL REFERENCES dedup_docs(article_id) ON DELETE CASCADE,
    PRIMARY KEY (hash, article_id)
) WITHOUT ROWID;

CREATE TABLE dedup_groups (
    id           TEXT PRIMARY KEY,        -- 'g' + the founding article's id prefix; stable
    canonical_id TEXT NOT NULL,           -- the earliest member (published, then arrival)
    size         INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX dedup_groups_size ON dedup_groups(size);

CREATE TABLE dedup_members (
    article_id TEXT PRIMARY KEY REFERENCES dedup_docs(article_id) ON DELETE CASCADE,
    group_id   TEXT NOT NULL REFERENCES dedup_groups(id),
    kind       TEXT NOT NULL CHECK (kind IN ('exact', 'near', 'contained', 'unique')),
    matched_id TEXT,                      -- the member it was first linked to, if any
    score      REAL                       -- Jaccard estimate or containment of that link
);
CREATE INDEX dedup_members_group ON dedup_members(group_id);
