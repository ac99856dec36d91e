using System.Text.Json;
using BotEngine.Conversations;
using BotEngine.Engine.Knowledge;
using BotEngine.Engine.Pipeline;
using BotEngine.Storage;
using BotEngine.Storage.Agents;
using BotEngine.KnowledgeBase;

namespace BotEngine.Engine.Agents;

/// <summary>
/// Makes one attempt of a claimed agent call and records what came of it: the answer applied to the dialog, the
/// call accepted (the agent answers through the callback API), a retry after a backoff, or, once the agent's retries
/// or the engine's <see cref="AgentOptions.MaxRetryTime"/> are spent, the dialog handed to operators. A finished
/// call lets the dialog's waiting client messages go on.
/// </summary>
public sealed partial class AgentCallRunner(
    AgentDialogStore dialogs,
    KnowledgeRuntime knowledge,
    ExternalAgentClient client,
    AgentGateway gateway,
    AgentCallbacks callbacks,
    AgentCallStore calls,
    TurnScheduler scheduler,
    TimeProvider time,
    ILogger<AgentCallRunner> logger)
{
    /// <summary>The wait allowed for one attempt: the agent's timeout, but never past the call's deadline.</summary>
    public static TimeSpan AttemptTimeout(ExternalAgent? agent, long deadlineAt, long now) =>
        TimeSpan.FromMicroseconds(Math.Max(0, Math.Min((long)TimeSpan.FromSeconds(agent?.TimeoutSeconds ?? 0).TotalMicroseconds, deadlineAt - now)));

    public async Task RunAsync(AgentCallRow call, CancellationToken cancellationToken)
    {
        var agent = knowledge.Document.Agents.FirstOrDefault(a => a.Id == call.AgentId);
        var timeout = AttemptTimeout(agent, call.DeadlineAt, time.NowMicros());
        var agentEvent = JsonSerializer.Deserialize<AgentEvent>(call.Event, AgentJson.Options)
            ?? throw new InvalidOperationException($"Agent call {call.Id} has no event.");
        if (agentEvent.Type == AgentEventTypes.DialogClosed)
        {
            await DeliverClosedAsync(call, agent, agentEvent, timeout, cancellationToken);
            return;
        }
        if (agent is null)
        {
            await FailAsync(call, $"agent '{call.AgentId}' is not registered", cancellationToken);
            return;
        }
        if (timeout <= TimeSpan.Zero)
        {
            await FailAsync(call, call.LastError ?? $"agent '{call.AgentId}' did not answer in time", cancellationToken);
            return;
        }
        if (!await StillOwnsAsync(call, cancellationToken))
        {
            await FinishAsync(call, AgentCallOutcomes.Dropped, null, cancellationToken);
            return;
        }

        var result = await client.SendOnceAsync(agent, agentEvent, timeout, cancellationToken);
        switch (result.Status)
        {
            case AgentCallStatus.Answered:
                await ApplyAsync(call, AgentCallOutcomes.Answered, null, state => AgentActions.Apply(result.Response!, state), cancellationToken);
                return;
            case AgentCallStatus.Accepted:
                // The answer comes through the callback API; without it in time, the agent's fallback takes the dialog.
                await calls.AcceptAsync(call.Id, time.NowMicros() + (long)TimeSpan.FromSeconds(agent.AnswerTimeoutSeconds).TotalMicroseconds, cancellationToken);
                await ResumeConversationAsync(call, cancellationToken);
                return;
        }
        var error = result.Error ?? "failed";
        var next = time.NowMicros() + (long)client.RetryDelay(call.Attempts).TotalMicroseconds;
        if (result.Transient && call.Attempts <= agent.Retries && next < call.DeadlineAt)
        {
            LogAttemptFailed(logger, call.Id, call.DialogId, call.Attempts, error);
            await calls.RescheduleAsync(call.Id, next, error, cancellationToken);
            return;
        }
        await FailAsync(call, error, cancellationToken);
    }

    /// <summary>
    /// <c>dialogClosed</c>: nobody waits for it and the dialog is over, so its answer is not used and a failure hands
    /// nothing off; a transient failure is tried again (whatever the agent's retries) until the event's deadline.
    /// </summary>
    private async Task DeliverClosedAsync(AgentCallRow call, ExternalAgent? agent, AgentEvent agentEvent, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (agent is null || timeout <= TimeSpan.Zero)
        {
            var reason = agent is null ? $"agent '{call.AgentId}' is not registered" : call.LastError ?? "no attempt left";
            LogClosedGivenUp(logger, call.Id, call.DialogId, reason);
            await calls.FinishAsync(call.Id, AgentCallOutcomes.Failed, reason, cancellationToken);
            return;
        }
        var result = await client.SendOnceAsync(agent, agentEvent, timeout, cancellationToken);
        if (result.Status != AgentCallStatus.Failed)
        {
            await calls.FinishAsync(call.Id, result.Status == AgentCallStatus.Accepted ? AgentCallOutcomes.Accepted : AgentCallOutcomes.Answered, null, cancellationToken);
            return;
        }
        var error = result.Error ?? "failed";
        var next = time.NowMicros() + (long)client.RetryDelay(call.Attempts).TotalMicroseconds;
        if (result.Transient && next < call.DeadlineAt)
        {
            LogAttemptFailed(logger, call.Id, call.DialogId, call.Attempts, error);
            await calls.RescheduleAsync(call.Id, next, error, cancellationToken);
            return;
        }
        LogClosedGivenUp(logger, call.Id, call.DialogId, error);
        await calls.FinishAsync(call.Id, AgentCallOutcomes.Failed, error, cancellationToken);
    }

    private Task FailAsync(AgentCallRow call, string error, CancellationToken cancellationToken) =>
        ApplyAsync(call, AgentCallOutcomes.Failed, error, state => gateway.Failed(state, call.DialogId, error), cancellationToken);

    private async Task ApplyAsync(AgentCallRow call, string outcome, string? error, Func<DialogState, TurnResult> decide, CancellationToken cancellationToken)
    {
        var applied = await callbacks.ApplyCallAsync(call, outcome, error, decide, cancellationToken);
        if (applied is CallbackOutcome.NotOwner or CallbackOutcome.UnknownDialog)
            await calls.FinishAsync(call.Id, AgentCallOutcomes.Dropped, error, cancellationToken);
        await ResumeConversationAsync(call, cancellationToken);
    }

    private async Task FinishAsync(AgentCallRow call, string outcome, string? error, CancellationToken cancellationToken)
    {
        await calls.FinishAsync(call.Id, outcome, error, cancellationToken);
        await ResumeConversationAsync(call, cancellationToken);
    }

    private async Task<bool> StillOwnsAsync(AgentCallRow call, CancellationToken cancellationToken)
    {
        var dialog = await dialogs.FindAsync(call.DialogId, cancellationToken);
        return dialog is not null && dialog.State == DialogStates.Bot && BotResponder.ReadState(dialog.BotState).ExternalAgentId == call.AgentId;
    }

    /// <summary>The client's messages that waited behind the call are answered now, in order.</summary>
    private async Task ResumeConversationAsync(AgentCallRow call, CancellationToken cancellationToken)
    {
        scheduler.Schedule(call.ConversationId);
        var current = await dialogs.ConversationIdAsync(call.DialogId, cancellationToken);
        if (current is not null && current != call.ConversationId)
            scheduler.Schedule(current);
    }

    [LoggerMessage(EventId = 531, Level = LogLevel.Warning, Message = "Agent call {CallId} (dialogClosed) for dialog {DialogId} is given up: {Error}")]
    private static partial void LogClosedGivenUp(ILogger logger, string callId, string dialogId, string error);

    [LoggerMessage(EventId = 530, Level = LogLevel.Information, Message = "Agent call {CallId} for dialog {DialogId} failed on attempt {Attempt}, will retry: {Error}")]
    private static partial void LogAttemptFailed(ILogger logger, string callId, string dialogId, int attempt, string error);
}
