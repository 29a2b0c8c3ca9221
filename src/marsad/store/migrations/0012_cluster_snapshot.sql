-- The story clusterer's state at one arrival, so a writer starts from it and replays only the story
-- assignments stored after it (marsad.cluster.snapshot). One row per clusterer kind. A snapshot is
-- only a shortcut: when it is missing, unreadable, made by other code or settings (fingerprint), or
-- ahead of the store, the writer replays every stored assignment as before.
CREATE TABLE IF NOT EXISTS cluster_snapshots (
    kind        TEXT PRIMARY KEY,          -- 'embedding' or 'lexical'
    fingerprint TEXT NOT NULL,             -- code, model and settings that made `state`
    seq         INTEGER NOT NULL,          -- story_members.seq of the last arrival in `state`
    arrivals    INTEGER NOT NULL,          -- story assignments the state holds (a store check)
    signature   BLOB NOT NULL,             -- HMAC-SHA256 of `state` with this machine's key
    state       BLOB NOT NULL,
    written_at  TEXT NOT NULL
);

-- Arrivals after a snapshot, and the last arrival, found by index rather than by scanning every member.
CREATE INDEX IF NOT EXISTS story_members_seq ON story_members(seq);
