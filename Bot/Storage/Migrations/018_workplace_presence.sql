-- The operator workplace, part two (issue 14). When an operator's page was last heard from (the event stream's
-- keep-alives, or POST operators/me/presence): an operator not heard from for Presence:Timeout goes offline. No row:
-- the operator never opened a live page (an API integration), and presence does not decide for them.
CREATE TABLE operator_presence (operator_id TEXT PRIMARY KEY, seen_at BIGINT NOT NULL);
-- The topic an operator chose while the dialog runs (the close takes it as the default); close_topic stays the
-- topic it closed with.
CREATE TABLE dialog_topics (dialog_id TEXT PRIMARY KEY, topic TEXT NOT NULL, set_by TEXT NOT NULL, set_at BIGINT NOT NULL);
-- Settings of the workplace each operator keeps across browsers: send_key 'enter' or 'ctrl_enter'.
CREATE TABLE operator_preferences (operator_id TEXT PRIMARY KEY, send_key TEXT NOT NULL, updated_at BIGINT NOT NULL);
