-- Polite fetching: what each URL answered last time, for conditional GET and for not fetching
-- an article page a feed lists again on every poll.
CREATE TABLE fetch_state (
    url           TEXT PRIMARY KEY,
    etag          TEXT,
    last_modified TEXT,
    status        INTEGER,               -- last HTTP status (304 keeps the previous 200's validators)
    fetched_at    TEXT NOT NULL,         -- ISO 8601 UTC of the last request
    content_id    TEXT                   -- content hash of the last body received, if any
);
