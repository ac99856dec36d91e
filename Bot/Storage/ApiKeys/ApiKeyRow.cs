namespace BotEngine.Storage.ApiKeys;

/// <summary>A row of <c>api_keys</c>: the key's name, the hash of its secret, its scopes (comma-separated permission names), who made it and whether it is revoked.</summary>
public sealed record ApiKeyRow
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string SecretHash { get; init; } = "";
    public string Scopes { get; init; } = "";
    public string CreatedBy { get; init; } = "";
    public string? CreatedByLogin { get; init; }
    public long CreatedAt { get; init; }
    public long? RevokedAt { get; init; }
    public string? RevokedBy { get; init; }
    public long? LastUsedAt { get; init; }
}
