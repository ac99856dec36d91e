using BotEngine.Engine.Agents;
using BotEngine.Engine.Knowledge;
using BotEngine.KnowledgeBase;

namespace BotEngine.Engine.Pipeline.Turns;

/// <summary>
/// A dialog redirected to an external agent is the agent's: the message becomes a call of the agent, made after the
/// commit. The client can leave the agent: one of its operator phrases hands the dialog off, one of its cancel phrases
/// gives it back to the bot; neither reaches the agent. A handoff respects the call centre's business hours.
/// </summary>
public sealed class ExternalAgentStep(AgentGateway agents, BotResponder planner, SystemTexts texts) : ITurnStep
{
    /// <summary>The handoff reason of a client who asked for an operator while an agent had the dialog.</summary>
    public const string LeftAgentReason = "client_left_agent";

    public async ValueTask<bool> DecideAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        if (turn.State.ExternalAgentId is not { } owner)
            return false;
        if (Leaving(turn, owner) is { } left)
        {
            turn.Plan = left;
            return true;
        }
        var call = await agents.PrepareAsync(AgentEventTypes.ClientMessage, owner, turn.Dialog, turn.State, turn.Activity, turn.Language, turn.Message.Id, false, cancellationToken);
        var outcome = call is null ? agents.Failed(turn.State, turn.Dialog.Id, $"agent '{owner}' is not registered").Outcome : new TurnOutcome.Continue();
        turn.Plan = planner.Plan(turn, [], [], outcome) with { AgentCall = call };
        return true;
    }

    private TurnPlan? Leaving(TurnContext turn, string owner)
    {
        // A typed message only: a pressed button's payload is the agent's to read.
        if (turn.Activity.Value is not null || string.IsNullOrWhiteSpace(turn.Activity.Text)
            || turn.Runner.Kb.Agents.FirstOrDefault(a => a.Id == owner) is not { } agent)
            return null;
        var words = ClassifierArticleMatcher.Normalize(turn.Activity.Text);
        bool Says(List<string> phrases) => words.Length > 0 && phrases.Exists(p => ClassifierArticleMatcher.Normalize(p) == words);
        if (Says(agent.OperatorPhrases))
        {
            turn.State.ExternalAgentId = null;
            turn.State.ReturnToAgentId = null; // the client left the agent: an operator's "back to the bot" is the bot's
            // Out of hours, as the bot's own handoff: the calendar's notice, then the queue or a callback request.
            var handoff = turn.Runner.HandOffInHours(new TurnResult([], new TurnOutcome.Handoff(null, LeftAgentReason), turn.State),
                turn.Language, BotResponder.ContextOf(turn.Dialog));
            return planner.Plan(turn, [], [.. handoff.Messages], handoff.Outcome);
        }
        if (Says(agent.CancelPhrases))
        {
            turn.State.ExternalAgentId = null;
            turn.State.Greeted = true;
            return planner.Plan(turn, [], [new OutgoingMessage(texts.Get("agent.left", turn.Language), [], [], null)], new TurnOutcome.Continue());
        }
        return null;
    }
}
