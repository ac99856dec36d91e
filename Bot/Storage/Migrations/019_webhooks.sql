-- Outgoing webhooks (issue 15). A subscription names its URL, the event types it wants and the HMAC secret it is
-- signed with (write-only through the API); captured_until is how far the capture has read the engine's own tables
-- for it (it reads back a little further each time, for transactions that committed late).
CREATE TABLE webhook_subscriptions (
  id TEXT PRIMARY KEY, url TEXT NOT NULL, events TEXT NOT NULL, secret TEXT NOT NULL, description TEXT,
  enabled BIGINT NOT NULL, created_by TEXT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
  captured_until BIGINT NOT NULL);
-- The durable outbox: one row per event and subscription (the unique key makes capture idempotent, so two nodes may
-- capture the same window); state pending, delivered or dead (after Webhooks:MaxAttempts). stream is what order is
-- kept within: the dialog, or "operator:<id>" for status changes; events of one stream go out by (event_at, ordinal),
-- the ordinal putting a dialog's creation first, its messages in their stored order, and its state changes after a
-- message of the same instant.
CREATE TABLE webhook_deliveries (
  id TEXT PRIMARY KEY, subscription_id TEXT NOT NULL, event_key TEXT NOT NULL, event_type TEXT NOT NULL,
  stream TEXT NOT NULL, event_at BIGINT NOT NULL, ordinal BIGINT NOT NULL, payload TEXT NOT NULL, state TEXT NOT NULL,
  attempts BIGINT NOT NULL, next_attempt_at BIGINT NOT NULL, last_status BIGINT, last_error TEXT,
  delivered_at BIGINT, created_at BIGINT NOT NULL, UNIQUE (subscription_id, event_key));
CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries(next_attempt_at) WHERE state = 'pending';
CREATE INDEX ix_webhook_deliveries_stream ON webhook_deliveries(subscription_id, stream, event_at, ordinal) WHERE state = 'pending';
CREATE INDEX ix_webhook_deliveries_log ON webhook_deliveries(subscription_id, created_at);
-- What the capture reads by time: messages, ratings and status changes (dialog events have ix_dialog_events_kind_at).
-- The same index serves the dialog export's messages.
CREATE INDEX ix_messages_created ON messages(created_at);
CREATE INDEX ix_dialogs_rated ON dialogs(rated_at) WHERE rated_at IS NOT NULL;
CREATE INDEX ix_operator_status_log_at ON operator_status_log(at);
-- The dialog export pages by the last change of a dialog.
CREATE INDEX ix_dialogs_last_message ON dialogs(last_message_at, id);
-- The audit log of administrators' changes (users, positions, call-centre settings and bindings, the knowledge base,
-- webhooks): who, when, what request, and its body with secrets masked.
CREATE TABLE audit_log (
  id TEXT PRIMARY KEY, at BIGINT NOT NULL, actor TEXT NOT NULL, area TEXT NOT NULL, action TEXT NOT NULL, subject TEXT, detail TEXT);
CREATE INDEX ix_audit_log_at ON audit_log(at, id);
CREATE INDEX ix_audit_log_area ON audit_log(area, at);
