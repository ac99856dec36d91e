namespace BotEngine.Storage.Clients;

/// <summary>A row of <c>client_changes</c>: who changed a profile, how, and the whole profile before and after (JSON).</summary>
public sealed record ClientChangeRow
{
    public string Id { get; init; } = "";
    public string ClientId { get; init; } = "";
    public long At { get; init; }
    public string Actor { get; init; } = "";
    public string Kind { get; init; } = "";
    public string? Before { get; init; }
    public string? After { get; init; }
    public string? OtherClientId { get; init; }
}
