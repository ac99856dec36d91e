using System.Data.Common;
using System.Text;
using BotEngine.Conversations;
using BotEngine.Engine.Channels;
using BotEngine.Engine.Knowledge;
using BotEngine.Engine.Schema;
using BotEngine.Storage;
using BotEngine.Storage.Agents;
using BotEngine.KnowledgeBase;
using Microsoft.Extensions.Options;

namespace BotEngine.Engine.Agents;

/// <summary>
/// Prepares the turn events for the external agent that owns a dialog (the dispatcher sends them), and turns an
/// agent's failure (unreachable, timing out after its retries, refusing, answering nonsense, or not registered) into
/// a handoff to operators.
/// </summary>
public sealed partial class AgentGateway(
    KnowledgeRuntime knowledge,
    AgentDialogStore dialogs,
    ChannelDirectory channels,
    IEngineRoot engineRoot,
    IOptions<AgentOptions> options,
    TimeProvider time,
    ILogger<AgentGateway> logger)
{
    public const string FailureReason = "agent_failed";

    /// <summary>The call of the agent about a client's message, or null when the agent is not registered.</summary>
    /// <param name="eventKey">Stable across a replayed turn (the inbound message id), so the agent can drop the duplicate.</param>
    public Task<PendingAgentCall?> PrepareAsync(
        string type, string agentId, StoredDialog dialog, DialogState state, Activity activity, string language, string eventKey, bool waitNoticeGiven,
        CancellationToken cancellationToken) =>
        PrepareAsync(type, agentId, dialog, state, language, $"{eventKey}-{type}", eventKey, activity.From, ToAgentMessage(activity), null, waitNoticeGiven, cancellationToken);

    /// <summary>One event about the dialog, ready to be stored; null when the agent is not registered.</summary>
    public async Task<PendingAgentCall?> PrepareAsync(
        string type, string agentId, StoredDialog dialog, DialogState state, string language, string eventId, string? messageId,
        ChannelAccount? from, AgentClientMessage? message, AgentOperator? byOperator, bool waitNoticeGiven, CancellationToken cancellationToken)
    {
        if (!knowledge.Document.Agents.Any(a => a.Id == agentId))
            return null;
        var contact = await dialogs.ClientContactAsync(dialog.ClientId, cancellationToken);
        return Build(type, agentId, dialog, state, language, eventId, messageId, from, message, byOperator, contact, waitNoticeGiven);
    }

    /// <summary>
    /// A lifecycle event (the dialog closed, or returned from an operator) in the caller's transaction, which stores it
    /// with the change it reports; null when the agent is not registered.
    /// </summary>
    public async Task<PendingAgentCall?> PrepareAsync(
        DbConnection c, DbTransaction t, string type, string agentId, StoredDialog dialog, DialogState state, string eventId,
        AgentOperator? byOperator, string? closedBy)
    {
        if (!knowledge.Document.Agents.Any(a => a.Id == agentId))
            return null;
        var contact = await AgentDialogStore.ClientContactAsync(c, t, dialog.ClientId);
        // Nobody waits for a closed dialog's news: it is retried for longer than a client's question is.
        var retryTime = closedBy is null ? options.Value.MaxRetryTime : options.Value.NoticeRetryTime;
        return Build(type, agentId, dialog, state, dialog.Language, eventId, null, null, null, byOperator, contact, waitNoticeGiven: true, closedBy, retryTime);
    }

    private PendingAgentCall Build(
        string type, string agentId, StoredDialog dialog, DialogState state, string language, string eventId, string? messageId,
        ChannelAccount? from, AgentClientMessage? message, AgentOperator? byOperator, AgentClientContact? contact, bool waitNoticeGiven,
        string? closedBy = null, TimeSpan? retryTime = null)
    {
        var kb = knowledge.Document;
        // A phone the client gave in this dialog wins over the profile's.
        var phone = kb.Slots.Where(s => s.Type == SlotType.Phone).Select(s => state.Slots.GetValueOrDefault(s.Id)).FirstOrDefault(v => v is not null) ?? contact?.Phone;
        var agentEvent = AgentActions.CreateEvent(
            type, agentId, dialog.Id, state,
            new AgentChannel { Type = channels.TypeOf(dialog.Channel), Id = from?.Id, Instance = dialog.Channel },
            time, language,
            new AgentClient { Id = dialog.ClientId, Name = contact?.Name ?? from?.Name, Phone = phone, Email = contact?.Email },
            message,
            CallbackUrl(agentId, dialog.Id)) with { EventId = eventId, Operator = byOperator, ClosedBy = closedBy };
        var deadline = time.NowMicros() + (long)(retryTime ?? options.Value.MaxRetryTime).TotalMicroseconds;
        return new PendingAgentCall(eventId, agentId, messageId, Encoding.UTF8.GetString(AgentJson.Serialize(agentEvent)), deadline, waitNoticeGiven);
    }

    public string CallbackUrl(string agentId, string dialogId)
    {
        var root = (options.Value.PublicBaseUrl ?? engineRoot.Root()).TrimEnd('/');
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
