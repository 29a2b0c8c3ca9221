-- What a restarted writer needs so it recomputes nothing (issue 16).
--
-- The lead entity keys the clusterer saw for each article (those named in the title and lead, a JSON
-- array, `ClusterDoc.lead_entities`), beside its entity keys: a restart replays the same event
-- evidence instead of finding it again from title and lead, which can differ from the live reading.
-- NULL for articles stored before this migration (found again, as before).
ALTER TABLE cluster_entities ADD COLUMN lead_keys TEXT;

-- Counters of the ingest writer, read in constant time at each restart.
-- 'compared': every story an article joined up to this story_members.seq has had its comparison
--   refreshed (marsad.pipeline.refresh_changed_comparisons), so a run killed before its comparisons
--   has them made by the next run. A store made before this migration counts as compared.
-- 'story_members': how many story assignments are stored, kept by the triggers below, so the
--   snapshot's check that the store holds exactly its assignments (marsad.store.snapshots.
--   arrivals_upto) counts only the arrivals after it instead of every assignment.
CREATE TABLE IF NOT EXISTS ingest_counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT OR IGNORE INTO ingest_counters (name, value)
SELECT 'compared', coalesce(max(seq), 0) FROM story_members;
INSERT OR IGNORE INTO ingest_counters (name, value) SELECT 'story_members', count(*) FROM story_members;
CREATE TRIGGER IF NOT EXISTS story_members_counted AFTER INSERT ON story_members
BEGIN
    UPDATE ingest_counters SET value = value + 1 WHERE name = 'story_members';
END;
CREATE TRIGGER IF NOT EXISTS story_members_uncounted AFTER DELETE ON story_members
BEGIN
    UPDATE ingest_counters SET value = value - 1 WHERE name = 'story_members';
END;

-- The cold part of the embedding clusterer's snapshot (marsad.cluster.snapshot): its live stories
-- last seen before the recent time windows, read only when a document needs them, so a restart loads the warm part (cluster_snapshot_parts) alone. `cold` is the part's
-- id, which the warm part names with the part's signature; a save that did not read the cold part
-- keeps it as it is.
-- (No foreign key to cluster_snapshots: replacing a snapshot's row would cascade to the part it keeps;
-- marsad.store.snapshots.put_snapshot deletes the parts no snapshot names.)
CREATE TABLE IF NOT EXISTS cluster_snapshot_cold (
    kind TEXT NOT NULL,
    cold TEXT NOT NULL,
    part INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (kind, cold, part)
);
