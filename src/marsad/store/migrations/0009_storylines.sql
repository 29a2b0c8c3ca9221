-- Storylines: the second level over stories (the events of one developing story, over days).
-- A story belongs to one storyline, decided when the story is born and never changed, so storyline
-- ids are stable; the storyline's id derives from its first story's id.
CREATE TABLE IF NOT EXISTS storylines (
    id              TEXT PRIMARY KEY,
    title           TEXT,                  -- its first story's title
    first_published TEXT,
    last_published  TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS story_storylines (
    story_id     TEXT PRIMARY KEY REFERENCES stories(id) ON DELETE CASCADE,
    storyline_id TEXT NOT NULL REFERENCES storylines(id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS story_storylines_storyline ON story_storylines(storyline_id);

-- Stories stored before storylines existed: each is its own storyline.
INSERT OR IGNORE INTO storylines (id, title, first_published, last_published, created_at, updated_at)
    SELECT 'l' || substr(id, 2), title, first_published, last_published, created_at, updated_at FROM stories;
INSERT OR IGNORE INTO story_storylines (story_id, storyline_id) SELECT id, 'l' || substr(id, 2) FROM stories;
