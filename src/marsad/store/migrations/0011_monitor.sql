-- The monitor's desk: feeds polled by `marsad watch`, watchlists, the alerts they raise and the log of
-- every webhook delivery attempt.
CREATE TABLE IF NOT EXISTS feeds (
    id              INTEGER PRIMARY KEY,
    url             TEXT NOT NULL UNIQUE,
    name            TEXT,
    every_seconds   REAL NOT NULL CHECK (every_seconds > 0),
    paused          INTEGER NOT NULL DEFAULT 0,
    added_at        TEXT NOT NULL,
    last_fetch      TEXT,                  -- ISO 8601 UTC of the last poll (ok or not)
    last_ok         TEXT,                  -- ... of the last poll that read the feed
    last_status     TEXT,                  -- ok | not_modified | error
    last_error      TEXT,                  -- why the last poll failed (NULL once one succeeds)
    last_error_code TEXT,
    errors_in_row   INTEGER NOT NULL DEFAULT 0,
    items           INTEGER NOT NULL DEFAULT 0,   -- articles stored from this feed, all polls
    last_added      INTEGER NOT NULL DEFAULT 0,   -- ... by the last poll
    next_poll       TEXT NOT NULL          -- when it is due (ISO 8601 UTC)
);
CREATE INDEX IF NOT EXISTS feeds_due ON feeds(paused, next_poll);

CREATE TABLE IF NOT EXISTS watchlists (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    entity      TEXT,                      -- a name in any spelling or script, or an entity key
    query       TEXT,                      -- words searched in the normalized text (all required)
    outlet      TEXT,                      -- an outlet name or a domain
    webhook_url TEXT,
    secret      TEXT,                      -- HMAC-SHA256 key of the webhook signature
    jsonl_path  TEXT,                      -- alerts appended here, one JSON object a line
    created_at  TEXT NOT NULL,
    CHECK (entity IS NOT NULL OR query IS NOT NULL OR outlet IS NOT NULL)
);

CREATE TABLE IF NOT EXISTS alerts (
    id           INTEGER PRIMARY KEY,
    watchlist_id INTEGER NOT NULL REFERENCES watchlists(id) ON DELETE CASCADE,
    article_id   TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    matched_json TEXT NOT NULL,            -- what matched: {"entity": [keys], "query": ..., "outlet": ...}
    created_at   TEXT NOT NULL,
    -- webhook: none (no webhook) | pending | sending | delivered | failed (attempts exhausted)
    webhook      TEXT NOT NULL CHECK (webhook IN ('none', 'pending', 'sending', 'delivered', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_attempt TEXT,                     -- when a pending delivery is due; a lease while sending
    jsonl_done   INTEGER NOT NULL DEFAULT 0,
    UNIQUE (watchlist_id, article_id)      -- an alert never fires twice for one article
);
CREATE INDEX IF NOT EXISTS alerts_due ON alerts(webhook, next_attempt);
CREATE INDEX IF NOT EXISTS alerts_article ON alerts(article_id);

CREATE TABLE IF NOT EXISTS alert_deliveries (
    id          INTEGER PRIMARY KEY,
    alert_id    INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
    attempt     INTEGER NOT NULL,
    at          TEXT NOT NULL,
    status      INTEGER,                   -- HTTP status, NULL when no answer came
    error       TEXT,
    duration_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS alert_deliveries_alert ON alert_deliveries(alert_id);
