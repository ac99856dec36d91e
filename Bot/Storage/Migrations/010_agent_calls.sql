-- External agent calls, committed with the turn that decided them and made by a dispatcher outside the turn lanes,
-- so a slow agent holds no lane. The id is the event id the agent sees, the same on every attempt and node.
-- While a dialog has an unfinished call, its client's next messages wait (unprocessed) behind it.
CREATE TABLE agent_calls (
  id TEXT PRIMARY KEY, dialog_id TEXT NOT NULL, conversation_id TEXT NOT NULL, agent_id TEXT NOT NULL,
  message_id TEXT, event TEXT NOT NULL, created_at BIGINT NOT NULL, deadline_at BIGINT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at BIGINT NOT NULL, wait_notice_at BIGINT,
  finished_at BIGINT, outcome TEXT, last_error TEXT);
CREATE INDEX ix_agent_calls_due ON agent_calls(next_attempt_at) WHERE finished_at IS NULL;
CREATE INDEX ix_agent_calls_dialog ON agent_calls(dialog_id) WHERE finished_at IS NULL;
