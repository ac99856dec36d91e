-- Sentence-encoder embeddings of training phrasings and article texts (issue 18), so a restarted engine embeds only
-- texts it has never seen. text_key: the first 16 bytes of the SHA-256 of the text's UTF-8; vector: float32
-- little-endian. The text itself is not kept: only its key is looked up. Rows of texts no longer in the knowledge base
-- stay (1.5 KB each, and an edit that brings a text back finds it); nothing reads them but the start of an engine.
CREATE TABLE text_embeddings (
  encoder TEXT NOT NULL, text_key BYTEA NOT NULL, vector BYTEA NOT NULL,
  PRIMARY KEY (encoder, text_key));
