namespace BotEngine.Bot.Api;

/// <summary>An API key as listed: never its secret (<c>key</c> is only in the answer that created it).</summary>
public sealed record ApiKeyDto(
    string Id, string Name, IReadOnlyList<string> Scopes, string CreatedBy, string? CreatedByLogin, DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt, string? Key = null);
