-- The channel's message id is unique per conversation only where a channel gave one: the bot's and operators' messages
-- have none, and entered the unique index anyway, one entry each (half of the index, and half of its page writes).
-- The inserts that skip a repeated message name the same predicate, so that both databases infer this index.
DROP INDEX ux_messages_channel_message;
CREATE UNIQUE INDEX ux_messages_channel_message ON messages(conversation_id, channel_message_id) WHERE channel_message_id IS NOT NULL;
