namespace BotEngine.Storage.Statistics;

/// <summary>A count of dialogs under a key (a channel, a topic, a time bucket's index).</summary>
public sealed record CountRow
{
    public string Key { get; init; } = "";
    public long Dialogs { get; init; }
    public long HandledByOperators { get; init; }
}
