-- Embedding cache: one vector per (model, text) keyed by the hash of both, so a re-run or a
-- restored clusterer never embeds the same text twice.
CREATE TABLE embeddings (
    key        TEXT PRIMARY KEY,           -- sha256(model + NUL + text), hex, first 32 chars
    model      TEXT NOT NULL,              -- Embedder.name
    dim        INTEGER NOT NULL,
    vector     BLOB NOT NULL,              -- float32 little-endian, L2-normalized
    created_at TEXT NOT NULL
);
CREATE INDEX embeddings_model ON embeddings(model);
