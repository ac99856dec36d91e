-- When the client was last told its place in the queue, so the notice can be refreshed.
ALTER TABLE dialogs ADD COLUMN queue_notice_at BIGINT;
