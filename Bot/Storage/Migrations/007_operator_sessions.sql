-- Revocable sessions: an operator token carries the operator's token version and stops working when it changes
-- (logout, password change, disabling). A disabled operator (disabled_at set) cannot sign in.
ALTER TABLE operators ADD COLUMN token_version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE operators ADD COLUMN disabled_at BIGINT;
