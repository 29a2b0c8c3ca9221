-- Entities and quotes per article; a cached comparison per story.
CREATE TABLE mentions (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    field      TEXT NOT NULL,              -- title | body
    start_pos  INTEGER NOT NULL,           -- character offsets into the field
    end_pos    INTEGER NOT NULL,
    text       TEXT NOT NULL,
    kind       TEXT NOT NULL,              -- person | place | org | agency
    key        TEXT NOT NULL,              -- shared by every alias of one referent (per:LFRF, org:ISIS)
    name       TEXT NOT NULL,
    rule       TEXT NOT NULL,              -- gazetteer | title | speech | alias | role
    role       TEXT,
    PRIMARY KEY (article_id, idx)
);
CREATE INDEX mentions_key ON mentions(key);

CREATE TABLE quotes (
    article_id   TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx          INTEGER NOT NULL,
    field        TEXT NOT NULL,
    start_pos    INTEGER NOT NULL,
    end_pos      INTEGER NOT NULL,
    text         TEXT NOT NULL,
    speaker      TEXT,
    speaker_key  TEXT,
    verb         TEXT,
    continuation INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, idx)
);
CREATE INDEX quotes_speaker ON quotes(speaker_key);

CREATE TABLE story_comparisons (
    story_id    TEXT PRIMARY KEY REFERENCES stories(id) ON DELETE CASCADE,
    fingerprint TEXT NOT NULL,             -- member ids + compare settings that produced it
    json        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
