-- External-agent lifecycle (issue 19). An agent that took an event with 202 owes an answer by answer_due_at (its
-- answerTimeoutSeconds): then the client is told and the dialog goes to the agent's fallback. Cleared when any answer
-- of the agent is applied to the dialog, or the dialog leaves the agent. Only waiting calls have it (a partial index).
ALTER TABLE agent_calls ADD COLUMN answer_due_at BIGINT;
CREATE INDEX ix_agent_calls_answer_due ON agent_calls(answer_due_at) WHERE answer_due_at IS NOT NULL;
