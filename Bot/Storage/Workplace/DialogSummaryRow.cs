namespace BotEngine.Storage.Workplace;

/// <summary>What a dialog list row shows beyond the dialog: the client's name, the last message and how many the client sent.</summary>
public sealed record DialogSummaryRow
{
    public string DialogId { get; init; } = "";
    public string? ClientName { get; init; }
    public string? LastText { get; init; }
    public string? LastAuthor { get; init; }
    public long ClientMessages { get; init; }
}
