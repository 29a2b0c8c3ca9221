-- Core tables: raw documents, articles, comments, rejects, stories.
CREATE TABLE documents (
    id          TEXT PRIMARY KEY,          -- content hash of the raw bytes or record
    source      TEXT NOT NULL,             -- path, path:line or URL it came from
    hint        TEXT NOT NULL,             -- text | html | record
    url         TEXT,
    outlet      TEXT,
    fetched_at  TEXT,
    content     BLOB NOT NULL,             -- raw input, never rewritten
    fields_json TEXT,                      -- record fields for JSON/JSONL input
    ingested_at TEXT NOT NULL
);

CREATE TABLE articles (
    id              TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    url             TEXT,
    outlet          TEXT,
    title           TEXT,
    body            TEXT NOT NULL,
    paragraphs_json TEXT NOT NULL,
    published       TEXT,
    language        TEXT,
    agencies_json   TEXT NOT NULL,
    comments_stated INTEGER,
    boilerplate_json TEXT NOT NULL,
    norm_text       TEXT NOT NULL,         -- marsad.text.normalize(title + body)
    external_id     TEXT,                  -- the 'id' field of a JSON record, if any
    extracted_at    TEXT NOT NULL
);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_external ON articles(external_id);

CREATE TABLE comments (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    parent     INTEGER,
    author     TEXT,
    text       TEXT NOT NULL,
    PRIMARY KEY (article_id, idx)
);

CREATE TABLE rejected (
    id         INTEGER PRIMARY KEY,
    stage      TEXT NOT NULL,
    code       TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    detail     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (stage, code, record_id)
);

CREATE TABLE stories (
    id              TEXT PRIMARY KEY,
    title           TEXT,
    first_published TEXT,
    last_published  TEXT,
    size            INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

CREATE TABLE story_members (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    story_id   TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    score      REAL,
    seq        INTEGER NOT NULL            -- arrival order, for stable replays
);
CREATE INDEX story_members_story ON story_members(story_id);

-- Full-text search over normalized text (the one normalization of marsad.text.arabic).
CREATE VIRTUAL TABLE articles_fts USING fts5(article_id UNINDEXED, norm_text, tokenize = 'unicode61');
