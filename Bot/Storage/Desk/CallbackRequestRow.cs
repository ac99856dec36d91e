namespace BotEngine.Storage.Desk;

/// <summary>A client's request to be called back, as stored; <see cref="Contacts"/> is a JSON object of contact fields.</summary>
public sealed record CallbackRequestRow
{
    public string Id { get; init; } = "";
    public string DialogId { get; init; } = "";
    public string ClientId { get; init; } = "";
    public string? Line { get; init; }
    public string Contacts { get; init; } = "{}";
    public string State { get; init; } = "";
    public long CreatedAt { get; init; }
}
