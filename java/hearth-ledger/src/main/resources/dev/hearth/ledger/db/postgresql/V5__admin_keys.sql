-- An API key with the admin scope may use the admin API (keys, budgets, models, configuration).
ALTER TABLE api_keys ADD COLUMN admin INTEGER NOT NULL DEFAULT 0;
