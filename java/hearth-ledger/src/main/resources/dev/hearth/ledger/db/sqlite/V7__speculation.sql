-- Speculative decoding per call (local models): tokens drafted ahead, and of those, tokens the model confirmed.
ALTER TABLE calls ADD COLUMN drafted_tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE calls ADD COLUMN accepted_draft_tokens INTEGER NOT NULL DEFAULT 0;
