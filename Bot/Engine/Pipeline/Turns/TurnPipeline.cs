using BotEngine.Engine.Knowledge;

namespace BotEngine.Engine.Pipeline.Turns;

/// <summary>
/// What a client message does, as ordered steps in the spirit of botbuilder's middleware: whoever owns the dialog
/// (people, then an external agent) decides before the bot does, and the first step that decides ends the turn.
/// Loading happens before (once), and the one commit and its effects after, in <see cref="TurnProcessor"/>.
/// Steps an installation registers as <see cref="ITurnStep"/> (an audit, a filter) run before the engine's own.
/// </summary>
public sealed class TurnPipeline(
    IEnumerable<ITurnStep> added, OwnerGate owner, NonMessageStep nonMessage, ExternalAgentStep agent, FilesOnlyStep filesOnly, KnowledgeStep knowledge)
{
    private readonly ITurnStep[] _steps = [.. added, owner, nonMessage, agent, filesOnly, knowledge];

    /// <summary>The bot's plan for the turn, or null when people own the dialog.</summary>
    public async Task<TurnPlan?> PlanAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        foreach (var step in _steps)
        {
            if (await step.DecideAsync(turn, cancellationToken))
                return turn.Plan;
        }
        throw new InvalidOperationException("No step of the turn pipeline decided the turn.");
    }
}
