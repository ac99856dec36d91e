-- Operators' answer templates for the workplace. owner_id NULL: shared with every operator; otherwise personal.
-- hotkey 1-9 inserts it with Alt+digit (a personal template's hotkey wins over a shared one's); shortcut is the word
-- typed after "/" in the draft.
CREATE TABLE answer_templates (
  id TEXT PRIMARY KEY, owner_id TEXT, title TEXT NOT NULL, text TEXT NOT NULL, shortcut TEXT, hotkey INTEGER,
  created_by TEXT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
CREATE INDEX ix_answer_templates_owner ON answer_templates(owner_id);
