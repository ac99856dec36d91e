-- Article history for the KB editor (issue 19): every stored version of an article, written in the same transaction
-- as the KB change that made it. body is the article's JSON, NULL when the change deleted it; author is the
-- operator's login (NULL for the engine's own seeding). Articles stored before this script get their current text as
-- version 0.
CREATE TABLE kb_article_versions (
  article_id TEXT NOT NULL, revision BIGINT NOT NULL, body TEXT, author TEXT, changed_at BIGINT NOT NULL,
  PRIMARY KEY (article_id, revision));
INSERT INTO kb_article_versions (article_id, revision, body, author, changed_at)
  SELECT id, 0, body, NULL, updated_at FROM kb_items WHERE kind = 'article';
