-- Pre-aggregated statistics (issue 15): the facts of closed dialogs summed per 15 minutes of opening (bucket_start,
-- storage microseconds, a multiple of 900 s) x call centre x line x channel ('' for a missing call centre or line), so a
-- month's figures read a few thousand bucket rows instead of a row per dialog. StatisticsStore adds a dialog's share in
-- the transaction that stores its facts (facts are stored once, so nothing is counted twice or lost). Test clients are
-- in the buckets; reads subtract their dialogs' facts, so marking a client as test later needs no change here.
-- Dialog figures: what the summary, series and channels read (durations summed, with the count they average over).
CREATE TABLE statistics_buckets (
  bucket_start BIGINT NOT NULL, call_centre TEXT NOT NULL, line TEXT NOT NULL, channel TEXT NOT NULL,
  dialogs BIGINT NOT NULL, bot_only BIGINT NOT NULL, handled_by_operators BIGINT NOT NULL, queued_never_assigned BIGINT NOT NULL,
  closed BIGINT NOT NULL, closed_by_bot BIGINT NOT NULL, closed_by_timeout BIGINT NOT NULL, closed_by_operators BIGINT NOT NULL,
  close_micros BIGINT NOT NULL, first_responses BIGINT NOT NULL, first_response_micros BIGINT NOT NULL,
  pairs BIGINT NOT NULL, pair_micros BIGINT NOT NULL, messages BIGINT NOT NULL, client_messages BIGINT NOT NULL,
  bot_messages BIGINT NOT NULL, operator_messages BIGINT NOT NULL,
  PRIMARY KEY (bucket_start, call_centre, line, channel));
-- Dialogs by closing topic ('' without one), for the topics chart.
CREATE TABLE statistics_topic_buckets (
  bucket_start BIGINT NOT NULL, call_centre TEXT NOT NULL, line TEXT NOT NULL, channel TEXT NOT NULL, topic TEXT NOT NULL,
  dialogs BIGINT NOT NULL, handled_by_operators BIGINT NOT NULL,
  PRIMARY KEY (bucket_start, call_centre, line, channel, topic));
-- Per operator: dialogs assigned to them, what they wrote (operator_facts), dialogs they closed (closed_by) and the
-- assigned-to-closed time of those with an assignment.
CREATE TABLE statistics_operator_buckets (
  bucket_start BIGINT NOT NULL, call_centre TEXT NOT NULL, line TEXT NOT NULL, channel TEXT NOT NULL, operator_id TEXT NOT NULL,
  dialogs BIGINT NOT NULL, messages BIGINT NOT NULL, text_messages BIGINT NOT NULL, text_chars BIGINT NOT NULL,
  pairs BIGINT NOT NULL, pair_micros BIGINT NOT NULL, closed BIGINT NOT NULL, timed_closes BIGINT NOT NULL, close_micros BIGINT NOT NULL,
  PRIMARY KEY (bucket_start, call_centre, line, channel, operator_id));
-- Buckets of the facts stored so far (the same sums StatisticsBuckets adds for each newly stored dialog).
INSERT INTO statistics_buckets (bucket_start, call_centre, line, channel, dialogs, bot_only, handled_by_operators, queued_never_assigned,
  closed, closed_by_bot, closed_by_timeout, closed_by_operators, close_micros, first_responses, first_response_micros,
  pairs, pair_micros, messages, client_messages, bot_messages, operator_messages)
SELECT dl.opened_at - dl.opened_at % 900000000, COALESCE(dl.call_centre, ''), COALESCE(dl.line, ''), dl.channel,
       COUNT(*),
       SUM(CASE WHEN df.assignments = 0 AND df.queued_at IS NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN df.assignments > 0 THEN 1 ELSE 0 END),
       SUM(CASE WHEN df.assignments = 0 AND df.queued_at IS NOT NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN dl.closed_at IS NOT NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN dl.closed_by = 'bot' THEN 1 ELSE 0 END),
       SUM(CASE WHEN dl.closed_by IN ('clienttimeout', 'idle') THEN 1 ELSE 0 END),
       SUM(CASE WHEN dl.closed_at IS NOT NULL AND dl.closed_by NOT IN ('bot', 'clienttimeout', 'idle') THEN 1 ELSE 0 END),
       SUM(CASE WHEN dl.closed_at IS NOT NULL THEN dl.closed_at - dl.opened_at ELSE 0 END),
       SUM(CASE WHEN df.queued_at IS NOT NULL AND df.first_reply_at IS NOT NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN df.queued_at IS NOT NULL AND df.first_reply_at IS NOT NULL THEN df.first_reply_at - df.queued_at ELSE 0 END),
       SUM(df.pairs), SUM(df.pair_micros), SUM(df.messages), SUM(df.client_messages), SUM(df.bot_messages), SUM(df.operator_messages)
FROM dialogs dl JOIN dialog_facts df ON df.dialog_id = dl.id
GROUP BY dl.opened_at - dl.opened_at % 900000000, COALESCE(dl.call_centre, ''), COALESCE(dl.line, ''), dl.channel;
INSERT INTO statistics_topic_buckets (bucket_start, call_centre, line, channel, topic, dialogs, handled_by_operators)
SELECT dl.opened_at - dl.opened_at % 900000000, COALESCE(dl.call_centre, ''), COALESCE(dl.line, ''), dl.channel, COALESCE(dl.close_topic, ''),
       COUNT(*), SUM(CASE WHEN df.assignments > 0 THEN 1 ELSE 0 END)
FROM dialogs dl JOIN dialog_facts df ON df.dialog_id = dl.id
GROUP BY dl.opened_at - dl.opened_at % 900000000, COALESCE(dl.call_centre, ''), COALESCE(dl.line, ''), dl.channel, COALESCE(dl.close_topic, '');
INSERT INTO statistics_operator_buckets (bucket_start, call_centre, line, channel, operator_id, dialogs, messages, text_messages, text_chars,
  pairs, pair_micros, closed, timed_closes, close_micros)
SELECT dl.opened_at - dl.opened_at % 900000000, COALESCE(dl.call_centre, ''), COALESCE(dl.line, ''), dl.channel, x.operator_id,
       SUM(x.dialogs), SUM(x.messages), SUM(x.text_messages), SUM(x.text_chars), SUM(x.pairs), SUM(x.pair_micros),
       SUM(x.closed), SUM(x.timed_closes), SUM(x.close_micros)
FROM (
  SELECT ofa.dialog_id, ofa.operator_id, 0 AS dialogs, ofa.messages, ofa.text_messages, ofa.text_chars, ofa.pairs, ofa.pair_micros,
         0 AS closed, 0 AS timed_closes, 0 AS close_micros
  FROM operator_facts ofa
  UNION ALL
  SELECT DISTINCT e.dialog_id, e.operator_id, 1, 0, 0, 0, 0, 0, 0, 0, 0
  FROM dialog_facts df JOIN dialog_events e ON e.dialog_id = df.dialog_id
  WHERE e.kind = 'assigned' AND e.operator_id IS NOT NULL
  UNION ALL
  SELECT d.id, d.closed_by, 0, 0, 0, 0, 0, 0, 1, CASE WHEN d.assigned_at IS NOT NULL THEN 1 ELSE 0 END,
         CASE WHEN d.assigned_at IS NOT NULL THEN d.closed_at - d.assigned_at ELSE 0 END
  FROM dialog_facts df JOIN dialogs d ON d.id = df.dialog_id
  WHERE d.closed_at IS NOT NULL AND d.closed_by IS NOT NULL
) x JOIN dialogs dl ON dl.id = x.dialog_id
GROUP BY dl.opened_at - dl.opened_at % 900000000, COALESCE(dl.call_centre, ''), COALESCE(dl.line, ''), dl.channel, x.operator_id;
