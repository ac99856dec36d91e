namespace BotEngine.Engine.Agents;

/// <summary>An agent call that failed for good, as supervisors see it among the processing errors.</summary>
/// <param name="Replayable">Whether it can be sent again: a notice nobody waits for (<c>dialogClosed</c>). A client's
/// message is not: its dialog has gone to the fallback, and answering it now would answer out of turn.</param>
public sealed record FailedAgentCall(
    string Id, string DialogId, string AgentId, string EventType, int Attempts, string? LastError, DateTimeOffset FailedAt, bool Replayable);
