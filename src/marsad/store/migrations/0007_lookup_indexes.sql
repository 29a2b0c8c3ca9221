-- Lookups measured slow on a 10k-article store.
-- The model index made the planner scan every vector of a model for a keyed lookup; keys are unique.
DROP INDEX IF EXISTS embeddings_model;
-- Resolving an entity name or spelling (API entity filter) scanned every mention.
CREATE INDEX IF NOT EXISTS mentions_name ON mentions(name);
CREATE INDEX IF NOT EXISTS mentions_text ON mentions(text);
