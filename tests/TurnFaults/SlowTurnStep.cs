using BotEngine.Engine.Pipeline.Turns;

namespace BotEngine.TurnFaults;

/// <summary>Records that a turn began (a line in <paramref name="startedFile"/>), waits, then leaves the turn to the engine's own steps.</summary>
public sealed class SlowTurnStep(TimeSpan delay, string? startedFile) : ITurnStep
{
    public async ValueTask<bool> DecideAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        if (startedFile is not null)
            await File.AppendAllTextAsync(startedFile, turn.Message.Id + "\n", cancellationToken);
        await Task.Delay(delay, cancellationToken);
        return false;
    }
}
