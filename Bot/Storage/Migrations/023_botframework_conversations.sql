-- Bot Framework Connector conversations (issue 13): where to write to each one later (an operator's message, a reply
-- after a restart). The Connector names its own serviceUrl, conversation, bot and user accounts in every activity;
-- the newest ones are kept per conversation of ours, written with the inbound message that carried them.
CREATE TABLE botframework_conversations (
  conversation_id TEXT PRIMARY KEY, channel TEXT NOT NULL, service_url TEXT NOT NULL, remote_id TEXT NOT NULL,
  bot_id TEXT NOT NULL, bot_name TEXT, user_id TEXT NOT NULL, user_name TEXT, tenant_id TEXT, updated_at BIGINT NOT NULL);
-- A Connector reply waits for the earlier replies of its conversation still in the outbox (the Connector shows them in
-- the order they arrive): that check reads the conversation's pending rows only.
CREATE INDEX ix_outbox_conversation_pending ON outbox(conversation_id) WHERE delivered_at IS NULL AND failed_at IS NULL;
