-- The story clusterer's state at one arrival, so a writer starts from it and replays only the story
-- assignments stored after it (marsad.cluster.snapshot). One snapshot per clusterer kind. A snapshot
-- is only a shortcut: when it is missing, unreadable, made by other code or settings (fingerprint),
-- or ahead of the store, the writer replays every stored assignment as before.
CREATE TABLE IF NOT EXISTS cluster_snapshots (
    kind        TEXT PRIMARY KEY,          -- 'embedding' or 'lexical'
    fingerprint TEXT NOT NULL,             -- code, model and settings that made the state
    seq         INTEGER NOT NULL,          -- story_members.seq of the last arrival in the state
    arrivals    INTEGER NOT NULL,          -- story assignments the state holds (a store check)
    signature   BLOB NOT NULL,             -- HMAC-SHA256 of the state with this machine's key
    parts       INTEGER NOT NULL,          -- rows of the state in cluster_snapshot_parts
    written_at  TEXT NOT NULL
);

-- The state in parts: at 100k live articles it is over SQLite's 1 GB limit on one value.
CREATE TABLE IF NOT EXISTS cluster_snapshot_parts (
    kind TEXT NOT NULL REFERENCES cluster_snapshots(kind) ON DELETE CASCADE,
    part INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (kind, part)
);

-- Arrivals after a snapshot, and the last arrival, found by index rather than by scanning every member.
CREATE INDEX IF NOT EXISTS story_members_seq ON story_members(seq);
