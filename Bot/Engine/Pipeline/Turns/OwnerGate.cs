using BotEngine.Conversations;

namespace BotEngine.Engine.Pipeline.Turns;

/// <summary>A dialog with an operator, in the queue or detached is not the bot's: the message is left to people.</summary>
public sealed class OwnerGate : ITurnStep
{
    public ValueTask<bool> DecideAsync(TurnContext turn, CancellationToken cancellationToken) =>
        ValueTask.FromResult(turn.Dialog.State != DialogStates.Bot);
}
