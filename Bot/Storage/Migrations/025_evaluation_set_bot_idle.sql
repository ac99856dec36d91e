-- The learning loop's frozen evaluation set (issue 17): a stratified share of manual labels held back from every
-- training, on which the promotion gate scores the candidate and the live model. held_out is decided once per label
-- (by the first training that sees it) and never changes: NULL undecided, 1 in the evaluation set, 0 trains.
-- Other sources (operator choices, clients' picks) always train and stay NULL.
ALTER TABLE training_examples ADD COLUMN held_out INTEGER;
-- Bot dialogs idle past their call centre's bot idle timeout are closed (issue 19): found by their last message.
CREATE INDEX ix_dialogs_bot_idle ON dialogs(last_message_at) WHERE state = 'bot';
