-- A turn that throws is retried with backoff and parked after Turns:MaxAttempts, so one bad message cannot block
-- its conversation forever. The counts live on the message, so they survive restarts and are shared by all nodes.
ALTER TABLE messages ADD COLUMN turn_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN turn_next_at BIGINT;
ALTER TABLE messages ADD COLUMN turn_error TEXT;
ALTER TABLE messages ADD COLUMN parked_at BIGINT;
CREATE INDEX ix_messages_parked ON messages(parked_at) WHERE parked_at IS NOT NULL;
