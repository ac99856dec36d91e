using BotEngine.Engine.Knowledge;
using BotEngine.Engine.Schema;

namespace BotEngine.Engine.Pipeline.Turns;

/// <summary>Activities other than messages (typing, events) change nothing and get no answer.</summary>
public sealed class NonMessageStep : ITurnStep
{
    public ValueTask<bool> DecideAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        if (turn.Activity.Type == Activity.Types.Message)
            return ValueTask.FromResult(false);
        turn.Plan = new TurnPlan([], null, turn.Dialog.BotState, turn.Language);
        return ValueTask.FromResult(true);
    }
}
