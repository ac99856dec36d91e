-- Routing: the handoff state of a dialog (requirements, notes, closing), durable timers, operator routing profiles.
ALTER TABLE dialogs ADD COLUMN handoff TEXT;
ALTER TABLE dialogs ADD COLUMN timer_state TEXT;
ALTER TABLE dialogs ADD COLUMN call_centre TEXT;
ALTER TABLE dialogs ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dialogs ADD COLUMN accepted_at BIGINT;
ALTER TABLE dialogs ADD COLUMN client_dissatisfied INTEGER;
DROP INDEX ix_dialogs_operator;
CREATE INDEX ix_dialogs_operator ON dialogs(operator_id) WHERE state IN ('assigned', 'active');
CREATE INDEX ix_dialogs_client_history ON dialogs(client_id, assigned_at);
ALTER TABLE operators ADD COLUMN routing TEXT;
ALTER TABLE operators ADD COLUMN idle_since BIGINT;
ALTER TABLE operators ADD COLUMN position TEXT;
CREATE TABLE dialog_timers (dialog_id TEXT NOT NULL, kind TEXT NOT NULL, due_at BIGINT NOT NULL, PRIMARY KEY (dialog_id, kind));
CREATE INDEX ix_dialog_timers_due ON dialog_timers(due_at);
CREATE TABLE positions (name TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE call_centres (id TEXT PRIMARY KEY, settings TEXT NOT NULL);
CREATE TABLE processing_errors (id TEXT PRIMARY KEY, kind TEXT NOT NULL, subject TEXT, message TEXT NOT NULL, at BIGINT NOT NULL);
CREATE INDEX ix_processing_errors_at ON processing_errors(at);
