using System.Text.Json.Serialization;

namespace BotEngine.Bot.Auth;

/// <param name="Version">The operator's token version when it was issued; a token from before logout, a password
/// change or disabling carries an older one and is refused. Tokens from before versions existed read as 0.</param>
public sealed record OperatorClaims(
    [property: JsonPropertyName("sub")] string OperatorId,
    [property: JsonPropertyName("exp")] long ExpiresAt,
    [property: JsonPropertyName("typ")] string Type,
    [property: JsonPropertyName("ver")] long Version = 0);
