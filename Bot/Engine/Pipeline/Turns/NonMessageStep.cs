using BotEngine.Engine.Knowledge;
using BotEngine.Engine.Schema;

namespace BotEngine.Engine.Pipeline.Turns;

/// <summary>
/// Activities other than messages (typing, events) change nothing and get no answer, except a conversationUpdate
/// that opens a dialog (a Bot Framework client added the bot): the bot greets then, and not again on the first message.
/// </summary>
public sealed class NonMessageStep(BotResponder planner) : ITurnStep
{
    public ValueTask<bool> DecideAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        if (turn.Activity.Type == Activity.Types.Message)
            return ValueTask.FromResult(false);
        if (turn.Activity.Type == Activity.Types.ConversationUpdate && KnowledgeStep.IsFirstTurn(turn.State))
        {
            var state = turn.State;
            var greeted = turn.Runner.Greet(state, turn.Language, BotResponder.ContextOf(turn.Dialog));
            state.Greeted = true;
            turn.Plan = planner.Plan(turn, [.. greeted.Messages], [], greeted.Outcome);
            return ValueTask.FromResult(true);
        }
        turn.Plan = new TurnPlan([], null, turn.Dialog.BotState, turn.Language);
        return ValueTask.FromResult(true);
    }
}
