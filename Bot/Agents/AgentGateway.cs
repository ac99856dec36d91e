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
}

/// <summary>
/// Sends turn events to the external agent that owns a dialog and turns its answer into a turn result. A failed
/// agent (unreachable, timing out after its retries, refusing, answering nonsense, or not registered) gives the
/// dialog to operators.
/// </summary>
public sealed partial class AgentGateway(
    KnowledgeRuntime knowledge,
    ExternalAgentClient client,
    Database database,
    IServer server,
    IOptions<AgentOptions> options,
    TimeProvider time,
    ILogger<AgentGateway> logger)
{
    public const string FailureReason = "agent_failed";

    /// <param name="eventKey">Stable across a replayed turn (the inbound message id), so the agent can drop the duplicate.</param>
    public async Task<TurnResult> SendAsync(string type, string agentId, DialogRow dialog, DialogState state, Activity activity, string language, string eventKey, CancellationToken cancellationToken)
    {
        var result = await CallAsync(type, agentId, dialog, state, language, $"{eventKey}-{type}", activity.From, ToAgentMessage(activity), null, cancellationToken);
        switch (result.Status)
        {
            case AgentCallStatus.Answered:
                return AgentActions.Apply(result.Response!, state);
            case AgentCallStatus.Accepted:
                return new TurnResult([], new TurnOutcome.Continue(), state);
            default:
                return Failed(state, dialog.Id, result.Error ?? "failed");
        }
    }

    /// <summary>Posts one event about the dialog to the agent; the caller applies the answer.</summary>
    public async Task<AgentCallResult> CallAsync(
        string type, string agentId, DialogRow dialog, DialogState state, string language, string eventId,
        ChannelAccount? from, AgentClientMessage? message, AgentOperator? byOperator, CancellationToken cancellationToken)
    {
        var kb = knowledge.Document;
        var agent = kb.Agents.FirstOrDefault(a => a.Id == agentId);
        if (agent is null)
            return new AgentCallResult(AgentCallStatus.Failed, null, $"agent '{agentId}' is not registered", 0);

        var name = await database.ReadAsync(c => c.ExecuteScalarAsync<string?>("SELECT display_name FROM clients WHERE id = @ClientId", new { dialog.ClientId }), cancellationToken);
        var phone = kb.Slots.Where(s => s.Type == SlotType.Phone).Select(s => state.Slots.GetValueOrDefault(s.Id)).FirstOrDefault(v => v is not null);
        var agentEvent = AgentActions.CreateEvent(
            type, agentId, dialog.Id, state,
            new AgentChannel { Type = dialog.Channel, Id = from?.Id },
            time, language,
            new AgentClient { Id = dialog.ClientId, Name = name ?? from?.Name, Phone = phone },
            message,
            CallbackUrl(agentId, dialog.Id)) with { EventId = eventId, Operator = byOperator };
        return await client.SendAsync(agent, agentEvent, cancellationToken);
    }

    public string CallbackUrl(string agentId, string dialogId)
    {
        var root = EngineAddress.Root(options.Value.PublicBaseUrl, server);
        return $"{root}/api/v1/agents/{Uri.EscapeDataString(agentId)}/dialogs/{Uri.EscapeDataString(dialogId)}/actions";
    }

    private TurnResult Failed(DialogState state, string dialogId, string error)
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
