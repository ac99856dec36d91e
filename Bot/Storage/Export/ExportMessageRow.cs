namespace BotEngine.Storage.Export;

/// <summary>A message of an exported dialog.</summary>
public sealed record ExportMessageRow
{
    public string Id { get; init; } = "";
    public string DialogId { get; init; } = "";
    public string Direction { get; init; } = "";
    public string Author { get; init; } = "";
    public string? AuthorId { get; init; }
    public string? Text { get; init; }
    public string Channel { get; init; } = "";
    public long CreatedAt { get; init; }
}
