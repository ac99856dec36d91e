-- Export keeps the order the editor gave; rows are read back by (kind, position).
ALTER TABLE kb_items ADD COLUMN position BIGINT NOT NULL DEFAULT 0;
-- Out of hours the client may leave contacts instead of waiting: operators call back later.
CREATE TABLE callback_requests (
  id TEXT PRIMARY KEY, dialog_id TEXT NOT NULL, client_id TEXT NOT NULL, line TEXT, contacts TEXT NOT NULL,
  state TEXT NOT NULL, created_at BIGINT NOT NULL);
CREATE INDEX ix_callback_requests_state ON callback_requests(state, created_at);
-- Asynchronous agent answers already applied, by the agent's callback id: a retried callback is applied once.
CREATE TABLE agent_callbacks (
  agent_id TEXT NOT NULL, callback_id TEXT NOT NULL, dialog_id TEXT NOT NULL, at BIGINT NOT NULL,
  PRIMARY KEY (agent_id, callback_id));
