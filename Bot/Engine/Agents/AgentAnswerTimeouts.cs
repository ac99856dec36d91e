using BotEngine.Conversations;
using BotEngine.Engine.Knowledge;
using BotEngine.Engine.Pipeline;
using BotEngine.KnowledgeBase;
using BotEngine.Storage.Agents;
using Microsoft.Extensions.Options;

namespace BotEngine.Engine.Agents;

/// <summary>
/// An asynchronous agent that took an event (202) and never called back: after its <c>answerTimeoutSeconds</c> the
/// client is told and the dialog goes to the agent's <c>fallback</c>, the operators (business hours respected) or the
/// bot. Runs on every node every <see cref="AgentOptions.AnswerCheckInterval"/>; the awaited answer is claimed in the
/// transaction that applies the fallback, so an answer arriving meanwhile, or another node, wins and it happens once.
/// </summary>
public sealed partial class AgentAnswerTimeouts(
    AgentCallStore calls,
    AgentCallbacks callbacks,
    KnowledgeRuntime knowledge,
    SystemTexts texts,
    IOptions<AgentOptions> options,
    TimeProvider time,
    ILogger<AgentAnswerTimeouts> logger) : PeriodicWorker(time, logger)
{
    /// <summary>The handoff reason when an agent's answer timeout gave the dialog to operators.</summary>
    public const string TimeoutReason = "agent_timeout";

    private const int BatchSize = 50;

    protected override TimeSpan Interval => options.Value.AnswerCheckInterval;

    protected override async Task<bool> RunOnceAsync(CancellationToken cancellationToken) => await FallBackOverdueAsync(cancellationToken) >= BatchSize;

    /// <summary>Applies the fallback of up to a batch of overdue answers; answers how many it looked at.</summary>
    public async Task<int> FallBackOverdueAsync(CancellationToken cancellationToken)
    {
        var overdue = await calls.FindAnswerOverdueAsync(BatchSize, cancellationToken);
        foreach (var call in overdue)
        {
            // An agent removed from the KB meanwhile falls back to operators, the safe way.
            var fallback = knowledge.Document.Agents.FirstOrDefault(a => a.Id == call.AgentId)?.Fallback ?? AgentFallback.Operator;
            var outcome = await callbacks.ApplyOverdueAsync(call, (dialog, state) => FallBack(dialog, state, fallback), cancellationToken);
            if (outcome is CallbackOutcome.NotOwner or CallbackOutcome.UnknownDialog)
                await calls.ForgetAwaitedAnswerAsync(call.Id, cancellationToken);
            else if (outcome == CallbackOutcome.Applied)
                LogFellBack(logger, call.AgentId, call.DialogId, fallback);
        }
        return overdue.Count;
    }

    private TurnResult FallBack(StoredDialog dialog, DialogState state, AgentFallback fallback)
    {
        state.ExternalAgentId = null;
        if (fallback == AgentFallback.Bot)
        {
            state.Greeted = true;
            return new TurnResult([Say("agent.no_answer_bot", dialog.Language)], new TurnOutcome.Continue(), state);
        }
        // The agent gave up the dialog by its silence: an operator's "back to the bot" is the bot's.
        state.ReturnToAgentId = null;
        return new TurnResult([Say("agent.no_answer_operator", dialog.Language)], new TurnOutcome.Handoff(null, TimeoutReason), state);
    }

    private OutgoingMessage Say(string key, string language) => new(texts.Get(key, language), [], [], null);

    [LoggerMessage(EventId = 542, Level = LogLevel.Information, Message = "Agent {AgentId} did not answer in time in dialog {DialogId}; fell back to {Fallback}")]
    private static partial void LogFellBack(ILogger logger, string agentId, string dialogId, AgentFallback fallback);
}
