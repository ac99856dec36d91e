namespace BotEngine.Storage.History;

/// <summary>
/// What a history search asks for: dialogs opened in [<see cref="From"/>, <see cref="To"/>) (microseconds) with a
/// message containing every word of <see cref="Text"/> (stemmed, Russian and English), and the other conditions
/// when given. <see cref="After"/> continues a page after that dialog; newest first.
/// </summary>
public sealed record HistoryFilter(long From, long To)
{
    public string? Text { get; init; }
    public string? OperatorId { get; init; }
    public string? Channel { get; init; }
    public string? Topic { get; init; }
    public string? Line { get; init; }
    public string? State { get; init; }
    /// <summary>bot, operator or timeout.</summary>
    public string? ClosedBy { get; init; }
    /// <summary>Part of the client's name, or the client's id.</summary>
    public string? Client { get; init; }
    public HistoryPosition? After { get; init; }
    public int Limit { get; init; } = 50;
}
