using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using BotEngine.Engine.Desk;
using BotEngine.Handoff;
using BotEngine.Http;
using BotEngine.Storage;
using BotEngine.Storage.ApiKeys;

namespace BotEngine.Bot.Auth;

/// <summary>
/// API keys for integrations: made by an administrator with scopes (permission names), the secret shown once and kept
/// as a SHA-256 hash, revocable. A key is sent as <c>Authorization: Bearer bek_&lt;id&gt;.&lt;secret&gt;</c> and only
/// counts on the routes under <see cref="AcceptedUnder"/> (the export and webhooks API): its holder gets exactly its scopes there.
/// </summary>
public sealed class ApiKeys(ApiKeyStore store, TimeProvider time)
{
    public const string Prefix = "bek_";
    public const string ActorPrefix = "apikey:";
    /// <summary>The permissions a key may carry: what the export and webhooks API need.</summary>
    public static readonly IReadOnlyList<string> Scopes =
        [Permission.ViewDialogsSearch.ToName(), Permission.ViewStat.ToName(), Permission.ModifyConfiguration.ToName()];
    /// <summary>Where a key is accepted; anywhere else it is refused, so a leaked key cannot reach operators' routes.</summary>
    public static readonly IReadOnlyList<string> AcceptedUnder = ["/api/v1/export", "/api/v1/webhooks"];
    private static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(1);

    /// <summary>Makes a key; the returned secret is the only time anyone sees it.</summary>
    /// <param name="creatorPermissions">What the administrator may do: a key never gets more.</param>
    public async Task<(ApiKeyRow Row, string Key)> CreateAsync(string? name, IReadOnlyList<string>? scopes, string creatorId,
        IReadOnlyCollection<string> creatorPermissions, CancellationToken cancellationToken)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100)
            throw new DeskException(400, "name: required, at most 100 characters.", "api_key.name");
        if (scopes is null || scopes.Count == 0)
            throw new DeskException(400, $"scopes: name at least one of {string.Join(", ", Scopes)}.", "api_key.scopes");
        if (scopes.FirstOrDefault(s => !Scopes.Contains(s)) is { } unknown)
            throw new DeskException(400, $"scopes: '{unknown}' is not one of {string.Join(", ", Scopes)}.", "api_key.scope_unknown");
        if (scopes.FirstOrDefault(s => !creatorPermissions.Contains(s)) is { } notHeld)
            throw new DeskException(403, $"scopes: you do not have '{notHeld}' yourself, so you cannot give it to a key.", "api_key.scope_not_held");
        var id = Ids.New();
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var row = new ApiKeyRow
        {
            Id = id,
            Name = name,
            SecretHash = Hash(secret),
            Scopes = string.Join(",", scopes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)),
            CreatedBy = creatorId,
            CreatedAt = time.NowMicros(),
        };
        await store.AddAsync(row, cancellationToken);
        return (row, $"{Prefix}{id}.{secret}");
    }

    public async Task RevokeAsync(string id, string revokedBy, CancellationToken cancellationToken)
    {
        if (!await store.RevokeAsync(id, revokedBy, time.NowMicros(), cancellationToken))
            throw new DeskException(404, $"API key '{id}' does not exist.", "api_key.not_found");
    }

    /// <summary>The principal a key stands for, or the reason it is refused.</summary>
    public async Task<(ClaimsPrincipal? Principal, string? Refusal)> AuthenticateAsync(string token, PathString path, string scheme, CancellationToken cancellationToken)
    {
        if (!AcceptedUnder.Any(p => path.StartsWithSegments(p)))
            return (null, $"API keys are accepted only under {string.Join(" and ", AcceptedUnder)}; sign in as an operator for the rest of the API.");
        var parts = token[Prefix.Length..].Split('.', 2);
        var row = parts.Length == 2 ? await store.FindAsync(parts[0], cancellationToken) : null;
        if (row is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(row.SecretHash), Encoding.ASCII.GetBytes(Hash(parts[1]))))
            return (null, "The API key is not valid.");
        if (row.RevokedAt is not null)
            return (null, "This API key has been revoked.");
        var now = time.NowMicros();
        if (row.LastUsedAt is null || now - row.LastUsedAt.Value >= (long)TouchEvery.TotalMicroseconds)
            await store.TouchAsync(row.Id, now, cancellationToken);
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, ActorPrefix + row.Id), new(ClaimTypes.Name, row.Name) };
        claims.AddRange(row.Scopes.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => new Claim(PermissionClaim.Type, s)));
        return (new ClaimsPrincipal(new ClaimsIdentity(claims, scheme)), null);
    }

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
