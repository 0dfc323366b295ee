-- Cache hits on calls; feedback scores (model and task class copied, so pruning calls keeps the quality measure);
-- daily rollups, kept up to date as calls finish and never pruned.
ALTER TABLE calls ADD COLUMN cache_hits BIGINT NOT NULL DEFAULT 0;
CREATE TABLE feedback (
    call_id    TEXT PRIMARY KEY,
    at         BIGINT NOT NULL,
    model      TEXT NOT NULL,
    task_class TEXT NOT NULL,
    score      BIGINT NOT NULL,
    note       TEXT
);
CREATE TABLE daily_rollup (
    day            TEXT NOT NULL,
    model          TEXT NOT NULL,
    provider       TEXT NOT NULL,
    key_name       TEXT NOT NULL,
    agent          TEXT NOT NULL,
    calls          BIGINT NOT NULL,
    input_tokens   BIGINT NOT NULL,
    output_tokens  BIGINT NOT NULL,
    cost_nanos     BIGINT NOT NULL,
    baseline_nanos BIGINT NOT NULL,
    PRIMARY KEY (day, model, provider, key_name, agent)
);
