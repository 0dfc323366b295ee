-- Calls and their trace events. Times are epoch milliseconds (UTC); money is integer nano-dollars (exact, summed in SQL).
CREATE TABLE calls (
    id                  TEXT PRIMARY KEY,
    started_at          BIGINT NOT NULL,
    ended_at            BIGINT,
    entry_point         TEXT NOT NULL,
    key_name            TEXT,
    agent               TEXT,
    user_tag            TEXT,
    task_class          TEXT,
    route               TEXT,
    route_reason        TEXT,
    model               TEXT NOT NULL,
    provider            TEXT NOT NULL,
    remote              BIGINT NOT NULL,
    input_tokens        BIGINT NOT NULL DEFAULT 0,
    cache_read_tokens   BIGINT NOT NULL DEFAULT 0,
    cache_write_tokens  BIGINT NOT NULL DEFAULT 0,
    output_tokens       BIGINT NOT NULL DEFAULT 0,
    reasoning_tokens    BIGINT NOT NULL DEFAULT 0,
    cost_nanos          BIGINT NOT NULL DEFAULT 0,
    price_as_of         TEXT,
    baseline_cost_nanos BIGINT NOT NULL DEFAULT 0,
    ttft_ms             BIGINT,
    total_ms            BIGINT,
    outcome             TEXT,
    fallback_hops       BIGINT NOT NULL DEFAULT 0,
    privacy             TEXT
);
CREATE INDEX calls_started_at ON calls (started_at);
CREATE TABLE trace_events (
    id         BIGSERIAL PRIMARY KEY,
    call_id    TEXT NOT NULL,
    at         BIGINT NOT NULL,
    name       TEXT NOT NULL,
    attributes TEXT NOT NULL
);
CREATE INDEX trace_events_call_id ON trace_events (call_id);
CREATE TABLE call_content (
    call_id TEXT PRIMARY KEY,
    prompt  TEXT,
    answer  TEXT
);
