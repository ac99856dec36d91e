-- The type of each stored activity, so that counts of messages (statistics, the workplace's list) leave out what
-- clients' channels send besides messages: typing, events, a Bot Framework client's conversationUpdate.
ALTER TABLE messages ADD COLUMN activity_type TEXT NOT NULL DEFAULT 'message';
--@ sqlite
UPDATE messages SET activity_type = json_extract(activity, '$.type')
WHERE direction = 'in' AND json_valid(activity) AND json_extract(activity, '$.type') <> 'message';
--@ postgres
UPDATE messages SET activity_type = activity::jsonb ->> 'type'
WHERE direction = 'in' AND activity::jsonb ->> 'type' <> 'message';
