-- Who set a budget: 'config' (hearth.toml or HEARTH_MONTHLY_BUDGET_USD, replaced as a whole at each open, so a
-- budget removed from the configuration goes) or 'set' (the CLI or the admin API, kept until removed).
ALTER TABLE budgets ADD COLUMN origin TEXT NOT NULL DEFAULT 'set';
