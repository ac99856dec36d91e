-- The learning loop. Training examples beyond the KB's own phrasings (which stay in the KB document): an article an
-- operator sent in reply to a client message, and manual labels from the labelling inbox. article_id NULL means
-- "not an intent" (an out-of-scope example); message_id is the client message the example was taken from.
CREATE TABLE training_examples (
  id TEXT PRIMARY KEY, text TEXT NOT NULL, language TEXT NOT NULL, article_id TEXT, source TEXT NOT NULL,
  weight DOUBLE PRECISION NOT NULL, created_by TEXT, created_at BIGINT NOT NULL, message_id TEXT);
CREATE INDEX ix_training_examples_created ON training_examples(created_at);
CREATE INDEX ix_training_examples_message ON training_examples(message_id);
-- Client messages the bot did not understand or handed off, written by their turn: the labelling inbox.
-- reviewed is NULL until an editor labels ('labelled') or skips ('skipped') the message.
CREATE TABLE bot_misses (
  message_id TEXT PRIMARY KEY, dialog_id TEXT NOT NULL, kind TEXT NOT NULL, at BIGINT NOT NULL,
  reviewed TEXT, reviewed_by TEXT, reviewed_at BIGINT);
CREATE INDEX ix_bot_misses_open ON bot_misses(at) WHERE reviewed IS NULL;
-- Dialogs an editor marked CHECKED: their remaining misses leave the inbox.
CREATE TABLE checked_dialogs (dialog_id TEXT PRIMARY KEY, checked_by TEXT NOT NULL, checked_at BIGINT NOT NULL);
-- The model registry: every training run's model with what it was trained on, its cross-validated metrics (JSON)
-- and the gate's decision. status: promoted (the live one; at most one), previous, rejected.
-- examples_through: the newest training example it learned (created_at), so a KB change retrains with the same labels.
CREATE TABLE nlu_models (
  id TEXT PRIMARY KEY, created_at BIGINT NOT NULL, trigger TEXT NOT NULL, kb_revision BIGINT NOT NULL,
  kb_examples INTEGER NOT NULL, labelled_examples INTEGER NOT NULL, examples_through BIGINT NOT NULL,
  metrics TEXT NOT NULL, status TEXT NOT NULL, reason TEXT NOT NULL, promoted_at BIGINT, model BYTEA);
CREATE INDEX ix_nlu_models_created ON nlu_models(created_at);
