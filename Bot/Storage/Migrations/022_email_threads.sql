-- The e-mail channel (issue 13): each thread is one conversation. `email_threads` keeps what a reply needs (the
-- client's address, the subject, the Message-ID to answer and the References chain); `email_messages` maps every
-- Message-ID seen or sent on a channel to its thread, so a reply (In-Reply-To, References) finds its conversation
-- and a message fetched twice is recognised. Plain SQL both dialects read the same way.
CREATE TABLE email_threads (
  conversation_id TEXT PRIMARY KEY,
  channel TEXT NOT NULL,
  address TEXT NOT NULL,
  subject TEXT NOT NULL,
  reply_to_id TEXT NOT NULL,
  refs TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE email_messages (
  channel TEXT NOT NULL,
  message_id TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  direction TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (channel, message_id)
);
