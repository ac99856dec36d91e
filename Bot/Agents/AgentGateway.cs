using System.Text;
using BotEngine.Bot.Conversation;
using BotEngine.Bot.Schema;
using BotEngine.Bot.Storage;
using BotEngine.KnowledgeBase;
using Dapper;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Options;

namespace BotEngine.Bot.Agents;

public sealed class AgentOptions
{
    /// <summary>The engine's address as agents reach it, for callback URLs; the first listening address when unset.</summary>
    public string? PublicBaseUrl { get; set; }
    /// <summary>Delay before the first retry of a failed event; doubles for each next one.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);
    /// <summary>How long one event may take over all its attempts; then the dialog goes to operators.</summary>
    public TimeSpan MaxRetryTime { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>Agent calls in flight on one node, over all agents.</summary>
    public int MaxConcurrentCalls { get; set; } = 64;
    /// <summary>Agent calls in flight on one node to one agent, so one slow agent leaves room for the others.</summary>
    public int MaxConcurrentCallsPerAgent { get; set; } = 16;
    /// <summary>The client is told to wait (once per event) when the agent has not answered within this time.</summary>
    public TimeSpan WaitNoticeAfter { get; set; } = TimeSpan.FromSeconds(3);
    /// <summary>How often the dispatcher looks for calls to retry, calls a dead node left, and waits to announce.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>A claimed call is held for its attempt's timeout plus this; then another node may take it (its node died).</summary>
    public TimeSpan LeaseMargin { get; set; } = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan MaxRetryTimeLimit = TimeSpan.FromMinutes(30);

    /// <summary>What is wrong with the options, or null.</summary>
    public string? Problem() => this switch
    {
        { MaxRetryTime: var t } when t < TimeSpan.FromSeconds(1) || t > MaxRetryTimeLimit => "Agents:MaxRetryTime must be between 00:00:01 and 00:30:00.",
        { RetryDelay: var d } when d < TimeSpan.Zero || d > MaxRetryTime => "Agents:RetryDelay must be between 0 and Agents:MaxRetryTime.",
        { MaxConcurrentCalls: < 1 or > 10_000 } => "Agents:MaxConcurrentCalls must be between 1 and 10000.",
        { MaxConcurrentCallsPerAgent: var n } when n < 1 || n > MaxConcurrentCalls => "Agents:MaxConcurrentCallsPerAgent must be between 1 and Agents:MaxConcurrentCalls.",
        { WaitNoticeAfter: var w } when w < TimeSpan.Zero => "Agents:WaitNoticeAfter must not be negative.",
        { PollInterval: var p } when p <= TimeSpan.Zero || p > TimeSpan.FromMinutes(1) => "Agents:PollInterval must be positive and at most 00:01:00.",
        { LeaseMargin: var m } when m <= TimeSpan.Zero || m > TimeSpan.FromMinutes(5) => "Agents:LeaseMargin must be positive and at most 00:05:00.",
        _ => null,
    };
}

/// <summary>Refuses agent options out of range at start, naming the option.</summary>
public sealed class AgentOptionsValidation : IValidateOptions<AgentOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentOptions options) =>
        options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}

/// <summary>An agent call a turn decided: stored with the turn, made later by <see cref="AgentCallDispatcher"/>.</summary>
/// <param name="Id">The event id the agent sees, stable across attempts, replays and nodes.</param>
/// <param name="MessageId">The client message that led to the call: the agent's answer replies to it.</param>
/// <param name="WaitNoticeGiven">The turn already told the client to wait (the article's own words before <c>/redirect</c>).</param>
public sealed record PendingAgentCall(string Id, string AgentId, string? MessageId, string Event, long DeadlineAt, bool WaitNoticeGiven);

/// <summary>
/// Prepares the turn events for the external agent that owns a dialog (the dispatcher sends them), and turns an
/// agent's failure (unreachable, timing out after its retries, refusing, answering nonsense, or not registered) into
/// a handoff to operators.
/// </summary>
public sealed partial class AgentGateway(
    KnowledgeRuntime knowledge,
    Database database,
    IServer server,
    IOptions<AgentOptions> options,
    TimeProvider time,
    ILogger<AgentGateway> logger)
{
    public const string FailureReason = "agent_failed";

    /// <summary>The call of the agent about a client's message, or null when the agent is not registered.</summary>
    /// <param name="eventKey">Stable across a replayed turn (the inbound message id), so the agent can drop the duplicate.</param>
    public Task<PendingAgentCall?> PrepareAsync(
        string type, string agentId, DialogRow dialog, DialogState state, Activity activity, string language, string eventKey, bool waitNoticeGiven,
        CancellationToken cancellationToken) =>
        PrepareAsync(type, agentId, dialog, state, language, $"{eventKey}-{type}", eventKey, activity.From, ToAgentMessage(activity), null, waitNoticeGiven, cancellationToken);

    /// <summary>One event about the dialog, ready to be stored; null when the agent is not registered.</summary>
    public async Task<PendingAgentCall?> PrepareAsync(
        string type, string agentId, DialogRow dialog, DialogState state, string language, string eventId, string? messageId,
        ChannelAccount? from, AgentClientMessage? message, AgentOperator? byOperator, bool waitNoticeGiven, CancellationToken cancellationToken)
    {
        var kb = knowledge.Document;
        if (!kb.Agents.Any(a => a.Id == agentId))
            return null;

        var name = await database.ReadAsync(c => c.ExecuteScalarAsync<string?>("SELECT display_name FROM clients WHERE id = @ClientId", new { dialog.ClientId }), cancellationToken);
        var phone = kb.Slots.Where(s => s.Type == SlotType.Phone).Select(s => state.Slots.GetValueOrDefault(s.Id)).FirstOrDefault(v => v is not null);
        var agentEvent = AgentActions.CreateEvent(
            type, agentId, dialog.Id, state,
            new AgentChannel { Type = dialog.Channel, Id = from?.Id },
            time, language,
            new AgentClient { Id = dialog.ClientId, Name = name ?? from?.Name, Phone = phone },
            message,
            CallbackUrl(agentId, dialog.Id)) with { EventId = eventId, Operator = byOperator };
        var deadline = time.NowMicros() + (long)options.Value.MaxRetryTime.TotalMicroseconds;
        return new PendingAgentCall(eventId, agentId, messageId, Encoding.UTF8.GetString(AgentJson.Serialize(agentEvent)), deadline, waitNoticeGiven);
    }

    public string CallbackUrl(string agentId, string dialogId)
    {
        var root = EngineAddress.Root(options.Value.PublicBaseUrl, server);
        return $"{root}/api/v1/agents/{Uri.EscapeDataString(agentId)}/dialogs/{Uri.EscapeDataString(dialogId)}/actions";
    }

    /// <summary>The agent failed: it loses the dialog, which goes to operators (the client is told why).</summary>
    public TurnResult Failed(DialogState state, string dialogId, string error)
    {
        LogAgentFailed(logger, dialogId, error);
        state.ExternalAgentId = null;
        return new TurnResult([], new TurnOutcome.Handoff(null, FailureReason), state);
    }

    private static AgentClientMessage ToAgentMessage(Activity activity) => new()
    {
        Text = activity.Text ?? "",
        Payload = BotResponder.ValueField(activity, "payload"),
        Attachments = (activity.Attachments ?? [])
            .Where(a => a.ContentUrl is not null)
            .Select(a => new AgentFile { Name = a.Name ?? "file", ContentType = a.ContentType ?? "application/octet-stream", Url = a.ContentUrl! })
            .ToList(),
    };

    [LoggerMessage(EventId = 500, Level = LogLevel.Warning, Message = "External agent failed for dialog {DialogId}: {Error}; handing off to operators")]
    private static partial void LogAgentFailed(ILogger logger, string dialogId, string error);
}
