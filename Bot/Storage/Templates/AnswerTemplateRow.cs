namespace BotEngine.Storage.Templates;

/// <summary>An answer template as stored: <see cref="OwnerId"/> null for a shared one.</summary>
public sealed record AnswerTemplateRow
{
    public string Id { get; init; } = "";
    public string? OwnerId { get; init; }
    public string Title { get; init; } = "";
    public string Text { get; init; } = "";
    public string? Shortcut { get; init; }
    public int? Hotkey { get; init; }
    public string CreatedBy { get; init; } = "";
    public long CreatedAt { get; init; }
    public long UpdatedAt { get; init; }
}
