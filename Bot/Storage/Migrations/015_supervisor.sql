-- Statistics and history search (issue 15). Supervisors read figures with the new view_stat permission: operators
-- who manage users get it, as the administrator gets every permission.
UPDATE operators SET permissions = permissions || ',view_stat'
WHERE ',' || permissions || ',' LIKE '%,modify_users,%' AND ',' || permissions || ',' NOT LIKE '%,view_stat,%';
-- Statistics read events by kind and time (assignments in a period), dialogs by when they opened, and operators'
-- messages by time (a partial index: the bot's and clients' messages, most of them, do not pay for it).
CREATE INDEX ix_dialog_events_kind_at ON dialog_events(kind, at);
CREATE INDEX ix_dialogs_opened ON dialogs(opened_at);
CREATE INDEX ix_messages_operator ON messages(created_at) WHERE author = 'operator';
-- What statistics need of a closed dialog, computed once after it closes (a closed dialog takes no more messages or
-- events), so a month of figures reads one row per dialog instead of every message: queued_at is the first queueing,
-- first_reply_at the first operator message; pairs are operator messages right after a client message (among client
-- and operator messages), pair_micros the sum of their delays. Open dialogs are computed from the messages each time.
CREATE TABLE dialog_facts (
  dialog_id TEXT PRIMARY KEY, queued_at BIGINT, assignments BIGINT NOT NULL, first_reply_at BIGINT,
  messages BIGINT NOT NULL, client_messages BIGINT NOT NULL, bot_messages BIGINT NOT NULL, operator_messages BIGINT NOT NULL,
  pairs BIGINT NOT NULL, pair_micros BIGINT NOT NULL);
-- The same per operator who wrote in the dialog: messages, those with text and their characters, answered pairs.
CREATE TABLE operator_facts (
  dialog_id TEXT NOT NULL, operator_id TEXT NOT NULL, messages BIGINT NOT NULL, text_messages BIGINT NOT NULL,
  text_chars BIGINT NOT NULL, pairs BIGINT NOT NULL, pair_micros BIGINT NOT NULL, PRIMARY KEY (dialog_id, operator_id));
CREATE INDEX ix_dialogs_closed ON dialogs(closed_at) WHERE closed_at IS NOT NULL;
-- Test clients are left out of statistics (marked from the history page).
CREATE TABLE test_clients (client_id TEXT PRIMARY KEY, marked_by TEXT NOT NULL, marked_at BIGINT NOT NULL);
--@ sqlite
-- Full-text search of message text. FTS5 has no Russian stemmer, so the history store stems the query's words
-- (Snowball, Russian and English) and matches them as prefixes; ё is folded to е on both sides. The table keeps its
-- own copy of the text keyed by message id (a rowid link would not survive VACUUM on a table with a text key).
-- Messages are never edited or deleted, so an insert trigger keeps it complete.
CREATE VIRTUAL TABLE message_search USING fts5(message_id UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO message_search (message_id, body)
  SELECT id, replace(replace(text, 'ё', 'е'), 'Ё', 'Е') FROM messages WHERE text IS NOT NULL AND text <> '';
CREATE TRIGGER tr_messages_search_insert AFTER INSERT ON messages WHEN new.text IS NOT NULL AND new.text <> ''
BEGIN
  INSERT INTO message_search (message_id, body) VALUES (new.id, replace(replace(new.text, 'ё', 'е'), 'Ё', 'Е'));
END;
--@ postgres
-- Full-text search of message text: the 'russian' configuration stems Cyrillic words with the Russian Snowball
-- stemmer and ASCII words with the English one (its asciiword mapping is english_stem), so one index serves both.
CREATE INDEX ix_messages_search ON messages USING GIN (to_tsvector('russian', coalesce(text, '')));
