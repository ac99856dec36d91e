-- The SQLite history index keeps no word positions and no per-message column sizes (detail = none, columnsize = 0):
-- the history search only asks whether every word's stem starts a word of the message (quoted one-word prefixes,
-- SearchText.Fts5Query), never for phrases, nearness or a bm25 rank, and the two cost a sixth of the pipeline's
-- throughput (the index is written for every message). The index is built again from the messages once.
--@ sqlite
DROP TRIGGER tr_messages_search_insert;
DROP TABLE message_search;
CREATE VIRTUAL TABLE message_search USING fts5(message_id UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 2', detail = none, columnsize = 0);
INSERT INTO message_search (message_id, body)
  SELECT id, replace(replace(text, 'ё', 'е'), 'Ё', 'Е') FROM messages WHERE text IS NOT NULL AND text <> '';
CREATE TRIGGER tr_messages_search_insert AFTER INSERT ON messages WHEN new.text IS NOT NULL AND new.text <> ''
BEGIN
  INSERT INTO message_search (message_id, body) VALUES (new.id, replace(replace(new.text, 'ё', 'е'), 'Ё', 'Е'));
END;
--@ postgres
SELECT 1;
