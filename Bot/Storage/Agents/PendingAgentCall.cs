namespace BotEngine.Storage.Agents;

/// <summary>An agent call a turn decided: stored with the turn, made later by the engine's agent call dispatcher.</summary>
/// <param name="Id">The event id the agent sees, stable across attempts, replays and nodes.</param>
/// <param name="MessageId">The client message that led to the call: the agent's answer replies to it.</param>
/// <param name="WaitNoticeGiven">The turn already told the client to wait (the article's own words before <c>/redirect</c>).</param>
public sealed record PendingAgentCall(string Id, string AgentId, string? MessageId, string Event, long DeadlineAt, bool WaitNoticeGiven);
