-- Calls and their trace events. Times are epoch milliseconds (UTC); money is integer nano-dollars (exact, summed in SQL).
CREATE TABLE calls (
    id                  TEXT PRIMARY KEY,
    started_at          INTEGER NOT NULL,
    ended_at            INTEGER,
    entry_point         TEXT NOT NULL,
    key_name            TEXT,
    agent               TEXT,
    user_tag            TEXT,
    task_class          TEXT,
    route               TEXT,
    route_reason        TEXT,
    model               TEXT NOT NULL,
    provider            TEXT NOT NULL,
    remote              INTEGER NOT NULL,
    input_tokens        INTEGER NOT NULL DEFAULT 0,
    cache_read_tokens   INTEGER NOT NULL DEFAULT 0,
    cache_write_tokens  INTEGER NOT NULL DEFAULT 0,
    output_tokens       INTEGER NOT NULL DEFAULT 0,
    reasoning_tokens    INTEGER NOT NULL DEFAULT 0,
    cost_nanos          INTEGER NOT NULL DEFAULT 0,
    price_as_of         TEXT,
    baseline_cost_nanos INTEGER NOT NULL DEFAULT 0,
    ttft_ms             INTEGER,
    total_ms            INTEGER,
    outcome             TEXT,
    fallback_hops       INTEGER NOT NULL DEFAULT 0,
    privacy             TEXT
);
CREATE INDEX calls_started_at ON calls (started_at);
CREATE TABLE trace_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    call_id    TEXT NOT NULL,
    at         INTEGER NOT NULL,
    name       TEXT NOT NULL,
    attributes TEXT NOT NULL
);
CREATE INDEX trace_events_call_id ON trace_events (call_id);
CREATE TABLE call_content (
    call_id TEXT PRIMARY KEY,
    prompt  TEXT,
    answer  TEXT
);
