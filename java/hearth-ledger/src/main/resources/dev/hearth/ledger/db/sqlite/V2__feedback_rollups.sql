-- Cache hits on calls; feedback scores (model and task class copied, so pruning calls keeps the quality measure);
-- daily rollups, kept up to date as calls finish and never pruned.
ALTER TABLE calls ADD COLUMN cache_hits INTEGER NOT NULL DEFAULT 0;
CREATE TABLE feedback (
    call_id    TEXT PRIMARY KEY,
    at         INTEGER NOT NULL,
    model      TEXT NOT NULL,
    task_class TEXT NOT NULL,
    score      INTEGER NOT NULL,
    note       TEXT
);
CREATE TABLE daily_rollup (
    day            TEXT NOT NULL,
    model          TEXT NOT NULL,
    provider       TEXT NOT NULL,
    key_name       TEXT NOT NULL,
    agent          TEXT NOT NULL,
    calls          INTEGER NOT NULL,
    input_tokens   INTEGER NOT NULL,
    output_tokens  INTEGER NOT NULL,
    cost_nanos     INTEGER NOT NULL,
    baseline_nanos INTEGER NOT NULL,
    PRIMARY KEY (day, model, provider, key_name, agent)
);
