-- Files stored by the engine (client uploads, operator attachments, KB answer files): bytes kept in the database,
-- so every node on one PostgreSQL serves them. BYTEA is bytea on PostgreSQL and keeps blobs as blobs on SQLite.
CREATE TABLE files (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, content_type TEXT NOT NULL, size BIGINT NOT NULL, sha256 TEXT NOT NULL,
  content BYTEA NOT NULL, uploader_kind TEXT NOT NULL, uploader_id TEXT, created_at BIGINT NOT NULL);
CREATE INDEX ix_files_uploader ON files(uploader_kind, uploader_id);
