namespace BotEngine.Handoff;

public sealed record QueueSnapshot(IReadOnlyList<QueuedDialog> Dialogs)
{
    public static QueueSnapshot Empty { get; } = new([]);
}
