-- What a restarted writer needs so it recomputes nothing (issue 16).
--
-- The lead entity keys the clusterer saw for each article (those named in the title and lead, a JSON
-- array, `ClusterDoc.lead_entities`), beside its entity keys: a restart replays the same event
-- evidence instead of finding it again from title and lead, which can differ from the live reading.
-- NULL for articles stored before this migration (found again, as before).
ALTER TABLE cluster_entities ADD COLUMN lead_keys TEXT;

-- Arrival marks of the ingest writer. 'compared': every story an article joined up to this
-- story_members.seq has had its comparison refreshed (marsad.pipeline.refresh_changed_comparisons),
-- so a run killed before its comparisons has them made by the next run. A store made before this
-- migration counts as compared.
CREATE TABLE IF NOT EXISTS ingest_marks (
    name TEXT PRIMARY KEY,
    seq  INTEGER NOT NULL
);
INSERT OR IGNORE INTO ingest_marks (name, seq) SELECT 'compared', coalesce(max(seq), 0) FROM story_members;
