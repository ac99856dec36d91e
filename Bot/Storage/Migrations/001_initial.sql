CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE clients (id TEXT PRIMARY KEY, display_name TEXT, language TEXT, created_at BIGINT NOT NULL);
CREATE TABLE channel_accounts (
  channel TEXT NOT NULL, account_id TEXT NOT NULL, client_id TEXT NOT NULL REFERENCES clients(id),
  display_name TEXT, created_at BIGINT NOT NULL, PRIMARY KEY (channel, account_id));
CREATE INDEX ix_channel_accounts_client ON channel_accounts(client_id);
CREATE TABLE conversations (
  id TEXT PRIMARY KEY, channel TEXT NOT NULL, account_id TEXT, client_id TEXT,
  created_at BIGINT NOT NULL, next_seq BIGINT NOT NULL DEFAULT 0);
CREATE TABLE dialogs (
  id TEXT PRIMARY KEY, client_id TEXT NOT NULL, conversation_id TEXT NOT NULL, channel TEXT NOT NULL,
  state TEXT NOT NULL, language TEXT NOT NULL, operator_id TEXT, line TEXT,
  opened_at BIGINT NOT NULL, queued_at BIGINT, assigned_at BIGINT, closed_at BIGINT, closed_by TEXT, close_topic TEXT,
  bot_state TEXT NOT NULL, last_message_at BIGINT NOT NULL, version BIGINT NOT NULL DEFAULT 0);
CREATE INDEX ix_dialogs_client_open ON dialogs(client_id) WHERE state <> 'closed';
CREATE INDEX ix_dialogs_state ON dialogs(state, queued_at);
CREATE INDEX ix_dialogs_operator ON dialogs(operator_id) WHERE state = 'assigned';
CREATE TABLE messages (
  id TEXT PRIMARY KEY, dialog_id TEXT NOT NULL, conversation_id TEXT NOT NULL, channel TEXT NOT NULL,
  seq BIGINT NOT NULL, direction TEXT NOT NULL, author TEXT NOT NULL, author_id TEXT, text TEXT,
  activity TEXT NOT NULL, channel_message_id TEXT, reply_to_id TEXT, created_at BIGINT NOT NULL, processed_at BIGINT);
CREATE UNIQUE INDEX ux_messages_channel_message ON messages(conversation_id, channel_message_id);
CREATE INDEX ix_messages_dialog ON messages(dialog_id, created_at);
CREATE INDEX ix_messages_unprocessed ON messages(conversation_id, seq) WHERE direction = 'in' AND processed_at IS NULL;
CREATE TABLE outbox (
  id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, channel TEXT NOT NULL, created_at BIGINT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at BIGINT NOT NULL, delivered_at BIGINT, failed_at BIGINT, last_error TEXT);
CREATE INDEX ix_outbox_pending ON outbox(next_attempt_at) WHERE delivered_at IS NULL AND failed_at IS NULL;
CREATE TABLE directline_activities (
  conversation_id TEXT NOT NULL, seq BIGINT NOT NULL, activity_id TEXT NOT NULL, activity TEXT NOT NULL,
  PRIMARY KEY (conversation_id, seq));
CREATE UNIQUE INDEX ux_directline_activity ON directline_activities(conversation_id, activity_id);
CREATE TABLE operators (
  id TEXT PRIMARY KEY, login TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL, password_hash TEXT NOT NULL,
  permissions TEXT NOT NULL, max_dialogs INTEGER NOT NULL DEFAULT 3, status TEXT NOT NULL DEFAULT 'offline',
  status_changed_at BIGINT NOT NULL, created_at BIGINT NOT NULL);
CREATE TABLE operator_status_log (operator_id TEXT NOT NULL, status TEXT NOT NULL, at BIGINT NOT NULL);
CREATE INDEX ix_operator_status_log ON operator_status_log(operator_id, at);
CREATE TABLE dialog_events (dialog_id TEXT NOT NULL, kind TEXT NOT NULL, operator_id TEXT, at BIGINT NOT NULL, data TEXT);
CREATE INDEX ix_dialog_events ON dialog_events(dialog_id, at);
CREATE TABLE kb_items (kind TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (kind, id));
