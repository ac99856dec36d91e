-- Agent calls that failed for good are listed among the processing errors (monitoring), newest first.
CREATE INDEX ix_agent_calls_failed ON agent_calls(finished_at) WHERE outcome = 'failed';
