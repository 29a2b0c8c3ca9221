-- The persons the store has named (with a title, as a speaker or by the tagger) and how often, kept
-- by triggers on `mentions` so that the entity step reads the few names an article may contain rather
-- than grouping every stored mention for each new document (marsad.entities.step._known).
-- `seq` only grows: a reader that indexed the names up to some seq reads only the newer ones.
CREATE TABLE IF NOT EXISTS person_names (
    seq  INTEGER PRIMARY KEY AUTOINCREMENT,
    text TEXT NOT NULL UNIQUE,
    n    INTEGER NOT NULL,                 -- mentions of that exact spelling
    role TEXT                              -- max(role) over those mentions
);

INSERT INTO person_names (text, n, role)
SELECT text, count(*), max(role) FROM mentions
WHERE kind = 'person' AND rule IN ('title', 'speech', 'crf')
GROUP BY text ORDER BY text;

-- The most named first, ties by spelling: the order the entity step reads them in.
CREATE INDEX IF NOT EXISTS person_names_rank ON person_names(n DESC, text);

-- A deleted mention's spelling finds its remaining mentions (for their max role) by index.
CREATE INDEX IF NOT EXISTS mentions_person_text ON mentions(text)
    WHERE kind = 'person' AND rule IN ('title', 'speech', 'crf');

CREATE TRIGGER IF NOT EXISTS person_names_add AFTER INSERT ON mentions
WHEN new.kind = 'person' AND new.rule IN ('title', 'speech', 'crf')
BEGIN
    INSERT INTO person_names (text, n, role) VALUES (new.text, 1, new.role)
    ON CONFLICT (text) DO UPDATE SET
        n = n + 1,
        role = CASE WHEN role IS NULL THEN excluded.role
                    WHEN excluded.role IS NULL THEN role
                    ELSE max(role, excluded.role) END;
END;

CREATE TRIGGER IF NOT EXISTS person_names_remove AFTER DELETE ON mentions
WHEN old.kind = 'person' AND old.rule IN ('title', 'speech', 'crf')
BEGIN
    UPDATE person_names SET
        n = n - 1,
        role = (SELECT max(role) FROM mentions
                WHERE text = old.text AND kind = 'person' AND rule IN ('title', 'speech', 'crf'))
    WHERE text = old.text;
    DELETE FROM person_names WHERE text = old.text AND n <= 0;
END;

-- Mentions are only inserted and deleted (marsad.store.entities.put_analysis); an update would
-- bypass the counts above, so it is refused.
CREATE TRIGGER IF NOT EXISTS mentions_no_update BEFORE UPDATE OF text, kind, rule, role ON mentions
BEGIN
    SELECT RAISE(ABORT, 'mentions are replaced, never updated (person_names counts)');
END;
