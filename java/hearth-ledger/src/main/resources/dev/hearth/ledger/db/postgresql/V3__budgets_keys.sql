-- Budgets (limits), their per-period counters, reservations and API keys.
CREATE TABLE budgets (
    scope_kind  TEXT NOT NULL,
    scope_name  TEXT NOT NULL,
    period      TEXT NOT NULL,
    limit_nanos BIGINT NOT NULL,
    soft_nanos  BIGINT,
    PRIMARY KEY (scope_kind, scope_name, period)
);
CREATE TABLE budget_spend (
    scope_kind     TEXT NOT NULL,
    scope_name     TEXT NOT NULL,
    period         TEXT NOT NULL,
    period_key     TEXT NOT NULL,
    spent_nanos    BIGINT NOT NULL DEFAULT 0,
    reserved_nanos BIGINT NOT NULL DEFAULT 0,
    soft_notified  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (scope_kind, scope_name, period, period_key)
);
CREATE TABLE reservations (
    call_id      TEXT PRIMARY KEY,
    created_at   BIGINT NOT NULL,
    amount_nanos BIGINT NOT NULL,
    actual_nanos BIGINT,
    state        TEXT NOT NULL
);
CREATE INDEX reservations_open ON reservations (state, created_at);
CREATE TABLE reservation_lines (
    call_id    TEXT NOT NULL,
    scope_kind TEXT NOT NULL,
    scope_name TEXT NOT NULL,
    period     TEXT NOT NULL,
    period_key TEXT NOT NULL,
    PRIMARY KEY (call_id, scope_kind, scope_name, period)
);
CREATE TABLE api_keys (
    name                 TEXT PRIMARY KEY,
    prefix               TEXT NOT NULL,
    secret_sha256        TEXT NOT NULL UNIQUE,
    created_at           BIGINT NOT NULL,
    revoked_at           BIGINT,
    monthly_budget_nanos BIGINT,
    rpm                  BIGINT,
    tpm                  BIGINT,
    allowed_models       TEXT NOT NULL,
    allow_external       BIGINT NOT NULL
);
