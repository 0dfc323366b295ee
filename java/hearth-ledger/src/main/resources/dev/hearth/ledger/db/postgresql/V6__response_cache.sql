-- The response cache (answers kept for reuse, under a hash of their normalised request), and what reusing them saved:
-- a cache hit is a call of its own with cache_hits = 1, cost 0 and saved_nanos the cost of the call that answered
-- first; the daily rollups count hits and savings, so `hearth spend` shows them after calls are pruned.
CREATE TABLE response_cache (
    cache_key   TEXT PRIMARY KEY,
    similar_key TEXT,
    embedding   TEXT,
    model       TEXT NOT NULL,
    answer      TEXT NOT NULL,
    cost_nanos  BIGINT NOT NULL,
    stored_at   BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX response_cache_stored_at ON response_cache (stored_at);
CREATE INDEX response_cache_expires_at ON response_cache (expires_at);
CREATE INDEX response_cache_similar ON response_cache (similar_key, stored_at);
ALTER TABLE calls ADD COLUMN saved_nanos BIGINT NOT NULL DEFAULT 0;
ALTER TABLE daily_rollup ADD COLUMN cache_hits BIGINT NOT NULL DEFAULT 0;
ALTER TABLE daily_rollup ADD COLUMN saved_nanos BIGINT NOT NULL DEFAULT 0;
