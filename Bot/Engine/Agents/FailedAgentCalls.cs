using System.Text.Json;
using BotEngine.Engine.Pipeline;
using BotEngine.KnowledgeBase;
using BotEngine.Storage;
using BotEngine.Storage.Agents;
using Microsoft.Extensions.Options;

namespace BotEngine.Engine.Agents;

/// <summary>
/// Agent calls that failed for good: listed for the monitoring page, and a given-up <c>dialogClosed</c> sent again
/// (fresh attempts for <c>Agents:NoticeRetryTime</c>) once the agent works. Without this a notice the agent never got
/// was visible only in the log.
/// </summary>
public sealed partial class FailedAgentCalls(AgentCallStore calls, AgentCallSignal signal, IOptions<AgentOptions> options, TimeProvider time,
    ILogger<FailedAgentCalls> logger)
{
    public async Task<IReadOnlyList<FailedAgentCall>> ListAsync(int limit, CancellationToken cancellationToken) =>
        (await calls.ListFailedAsync(limit, cancellationToken)).Select(ToView).ToList();

    public async Task<ReplayOutcome> ReplayAsync(string id, string operatorId, CancellationToken cancellationToken)
    {
        if (await calls.FindAsync(id, cancellationToken) is not { } call)
            return ReplayOutcome.NotFound;
        var view = ToView(call);
        if (call.Outcome != AgentCallOutcomes.Failed || !view.Replayable)
            return ReplayOutcome.NotParked;
        if (!await calls.ReviveAsync(id, time.NowMicros() + (long)options.Value.NoticeRetryTime.TotalMicroseconds, cancellationToken))
            return ReplayOutcome.NotParked;
        signal.Request();
        LogReplayed(logger, id, call.AgentId, operatorId);
        return ReplayOutcome.Replayed;
    }

    private static FailedAgentCall ToView(AgentCallRow call)
    {
        var type = EventType(call.Event);
        return new FailedAgentCall(call.Id, call.DialogId, call.AgentId, type, call.Attempts, call.LastError,
            TimeExtensions.FromMicros(call.FinishedAt ?? call.CreatedAt), type == AgentEventTypes.DialogClosed);
    }

    /// <summary>The event's type, read as the call runner reads the event; "unknown" for one that does not parse.</summary>
    private static string EventType(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<AgentEvent>(json, AgentJson.Options)?.Type ?? "unknown";
        }
        catch (JsonException)
        {
            return "unknown";
        }
    }

    [LoggerMessage(EventId = 532, Level = LogLevel.Information, Message = "Failed agent call {CallId} to {AgentId} sent again by operator {OperatorId}")]
    private static partial void LogReplayed(ILogger logger, string callId, string agentId, string operatorId);
}
