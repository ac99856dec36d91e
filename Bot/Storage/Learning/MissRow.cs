namespace BotEngine.Storage.Learning;

/// <summary>A client message the bot did not understand (<c>not_understood</c>) or handed off (<c>handed_off</c>), still to review.</summary>
public sealed class MissRow
{
    public string MessageId { get; set; } = "";
    public string DialogId { get; set; } = "";
    public string Kind { get; set; } = "";
    public long At { get; set; }
    public string Text { get; set; } = "";
    public string Language { get; set; } = "";
    public string? Line { get; set; }
}
