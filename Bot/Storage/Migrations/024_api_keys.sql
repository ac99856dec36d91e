-- API keys for integrations (issue 15): an administrator makes one with scopes (permission names), its secret is shown
-- once and kept only as a SHA-256 hash (the secret is 256 random bits, so a fast hash is enough); revoking keeps the
-- row, so the audit log and the list still name it.
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, secret_hash TEXT NOT NULL, scopes TEXT NOT NULL,
  created_by TEXT NOT NULL, created_at BIGINT NOT NULL, revoked_at BIGINT, revoked_by TEXT, last_used_at BIGINT);
