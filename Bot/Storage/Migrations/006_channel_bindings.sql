-- A channel bound to a call centre and a support line: its new dialogs start there (routing and KB access).
CREATE TABLE channel_bindings (
  channel TEXT PRIMARY KEY,
  call_centre TEXT,
  line TEXT,
  updated_at BIGINT NOT NULL
);
