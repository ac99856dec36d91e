-- The SQLite history index is written in batches instead of by every message's insert: FTS5 writes a new index
-- segment at every commit that touched it (and merges them later), which cost a fifth of the pipeline's throughput.
-- A message now only notes its id in message_search_pending (in the same transaction, so none is lost);
-- MessageSearchIndex moves the noted messages into message_search about four times a second, and a history search
-- does it first, so it still finds a message stored just before.
--@ sqlite
DROP TRIGGER tr_messages_search_insert;
CREATE TABLE message_search_pending (message_id TEXT NOT NULL);
CREATE TRIGGER tr_messages_search_insert AFTER INSERT ON messages WHEN new.text IS NOT NULL AND new.text <> ''
BEGIN
  INSERT INTO message_search_pending (message_id) VALUES (new.id);
END;
--@ postgres
SELECT 1;
