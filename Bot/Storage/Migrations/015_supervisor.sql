-- Statistics and history search (issue 15). Supervisors read figures with the new view_stat permission: operators
-- who manage users get it, as the administrator gets every permission.
UPDATE operators SET permissions = permissions || ',view_stat'
WHERE ',' || permissions || ',' LIKE '%,modify_users,%' AND ',' || permissions || ',' NOT LIKE '%,view_stat,%';
-- Statistics read events by kind and time (assignments in a period), dialogs by when they opened, and operators'
-- messages by time (a partial index: the bot's and clients' messages, most of them, do not pay for it).
CREATE INDEX ix_dialog_events_kind_at ON dialog_events(kind, at);
CREATE INDEX ix_dialogs_opened ON dialogs(opened_at);
CREATE INDEX ix_messages_operator ON messages(created_at) WHERE author = 'operator';
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
