-- Client profiles (issue 16). Contact fields are stored normalised (phone as +digits, e-mail lower case) so that a
-- known client is found by them; search_text is the lower-cased name, phone, e-mail and contract that ?q= matches
-- (lower() does not fold Cyrillic on SQLite). fields: custom field values (JSON object); verified: the names of
-- the fields a site's signature vouched for (JSON array); merged_into: the profile this one was merged into.
-- Whether a profile is a test client is a row of test_clients (migration 015), which statistics and history read.
ALTER TABLE clients ADD COLUMN first_name TEXT;
ALTER TABLE clients ADD COLUMN last_name TEXT;
ALTER TABLE clients ADD COLUMN phone TEXT;
ALTER TABLE clients ADD COLUMN email TEXT;
ALTER TABLE clients ADD COLUMN contract TEXT;
ALTER TABLE clients ADD COLUMN fields TEXT NOT NULL DEFAULT '{}';
ALTER TABLE clients ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
ALTER TABLE clients ADD COLUMN verified TEXT NOT NULL DEFAULT '[]';
ALTER TABLE clients ADD COLUMN updated_at BIGINT;
ALTER TABLE clients ADD COLUMN merged_into TEXT;
ALTER TABLE clients ADD COLUMN search_text TEXT;
UPDATE clients SET updated_at = created_at, search_text = LOWER(COALESCE(display_name, ''));
CREATE INDEX ix_clients_phone ON clients(phone);
CREATE INDEX ix_clients_email ON clients(email);
CREATE INDEX ix_clients_contract ON clients(contract);
CREATE INDEX ix_clients_updated ON clients(updated_at, id);
-- Every change to a profile (edit, merge, link, sign-in), with the whole profile before and after (JSON), so a merge
-- can be undone from its record and nothing a merge replaced is lost.
CREATE TABLE client_changes (
  id TEXT PRIMARY KEY, client_id TEXT NOT NULL, at BIGINT NOT NULL, actor TEXT NOT NULL, kind TEXT NOT NULL,
  before TEXT, after TEXT, other_client_id TEXT);
CREATE INDEX ix_client_changes_client ON client_changes(client_id, at);
-- Custom fields an administrator defines: name (the key in clients.fields), type (text, number, date, boolean).
CREATE TABLE client_field_definitions (
  name TEXT PRIMARY KEY, type TEXT NOT NULL, title_ru TEXT NOT NULL, title_en TEXT NOT NULL, position BIGINT NOT NULL);
-- Single-use deep-link tokens that attach a channel account to a profile; only the token's hash is stored.
CREATE TABLE client_link_tokens (
  token_hash TEXT PRIMARY KEY, client_id TEXT NOT NULL, channel TEXT NOT NULL, created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, used_at BIGINT, used_by_account TEXT);
-- The client's rating of a closed dialog.
ALTER TABLE dialogs ADD COLUMN rating BIGINT;
ALTER TABLE dialogs ADD COLUMN rating_comment TEXT;
ALTER TABLE dialogs ADD COLUMN rated_at BIGINT;
-- Administrators (who manage users) may now edit and merge client profiles and hand out deep links.
UPDATE operators SET permissions = permissions || ',modify_clients,view_deeplinking' WHERE permissions LIKE '%modify_users%';
