-- The entity keys the clusterer saw for each article when it was assigned (person, place and
-- organisation keys, a JSON array), so a restart replays the same signals without re-running the
-- recognizer on every stored article.
CREATE TABLE IF NOT EXISTS cluster_entities (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    keys       TEXT NOT NULL
);
