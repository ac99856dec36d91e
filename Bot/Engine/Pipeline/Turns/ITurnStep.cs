namespace BotEngine.Engine.Pipeline.Turns;

/// <summary>A step of the turn pipeline: it decides the turn, or leaves it to the steps after it.</summary>
public interface ITurnStep
{
    /// <summary>True when this step decided the turn (set <see cref="TurnContext.Plan"/>, or left it null for people).</summary>
    ValueTask<bool> DecideAsync(TurnContext turn, CancellationToken cancellationToken);
}
