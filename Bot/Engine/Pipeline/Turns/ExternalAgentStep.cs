using BotEngine.Engine.Agents;
using BotEngine.Engine.Knowledge;
using BotEngine.KnowledgeBase;

namespace BotEngine.Engine.Pipeline.Turns;

/// <summary>A dialog redirected to an external agent is the agent's: the message becomes a call of the agent, made after the commit.</summary>
public sealed class ExternalAgentStep(AgentGateway agents, BotResponder planner) : ITurnStep
{
    public async ValueTask<bool> DecideAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        if (turn.State.ExternalAgentId is not { } owner)
            return false;
        var call = await agents.PrepareAsync(AgentEventTypes.ClientMessage, owner, turn.Dialog, turn.State, turn.Activity, turn.Language, turn.Message.Id, false, cancellationToken);
        var outcome = call is null ? agents.Failed(turn.State, turn.Dialog.Id, $"agent '{owner}' is not registered").Outcome : new TurnOutcome.Continue();
        turn.Plan = planner.Plan(turn, [], [], outcome) with { AgentCall = call };
        return true;
    }
}
