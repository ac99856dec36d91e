using BotEngine.Engine.Channels;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BotEngine.Channels.BotFramework;

/// <summary>
/// Checks the Connector's bearer token on an inbound activity, as Azure Bot Service signs it: RS256 under one of the
/// keys its OpenID metadata publishes, issuer https://api.botframework.com, audience our App ID, within its lifetime
/// (5 minutes of clock skew), its <c>serviceurl</c> claim equal to the activity's serviceUrl, and the key endorsed for
/// the activity's channel ("msteams", "webchat"...). Returns why a token is refused, or null when it is good.
/// </summary>
public sealed class ConnectorTokenValidator(ConnectorKeys keys, TimeProvider time)
{
    public const string Issuer = "https://api.botframework.com";
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    /// <summary>The token in an Authorization header, or null when there is none.</summary>
    public static string? BearerOf(string? authorization) =>
        authorization is { } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header[7..].Trim() is { Length: > 0 } token
            ? token
            : null;

    /// <summary>The audiences a token names, read without trusting it (to find which bot it is for).</summary>
    public IReadOnlyList<string> UnverifiedAudiences(string token)
    {
        try
        {
            return _handler.CanReadToken(token) ? _handler.ReadJsonWebToken(token).Audiences.ToList() : [];
        }
        catch (ArgumentException)
        {
            return [];
        }
    }

    public async Task<string?> RefusalAsync(ChannelInstance channel, string token, string? serviceUrl, string? channelId, CancellationToken cancellationToken)
    {
        if (channel.Setting("appId") is not { } appId)
            return "the channel has no appId";
        JsonWebToken jwt;
        try
        {
            if (!_handler.CanReadToken(token))
                return "the bearer token is not a JWT";
            jwt = _handler.ReadJsonWebToken(token);
        }
        catch (ArgumentException)
        {
            return "the bearer token is not a JWT";
        }
        if (jwt.Alg != SecurityAlgorithms.RsaSha256)
            return $"the token is signed with {jwt.Alg}, not RS256";
        if (string.IsNullOrEmpty(jwt.Kid))
            return "the token names no signing key (kid)";
        ConnectorSigningKey? key;
        try
        {
            key = await keys.FindAsync(BotFrameworkChannelType.OpenIdMetadataUrl(channel), jwt.Kid, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or ArgumentException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return $"the Connector's signing keys could not be read ({ex.Message})";
        }
        if (key is null)
            return $"the Connector publishes no key '{jwt.Kid}'";

        var parameters = new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = appId,
            IssuerSigningKey = key.Key,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = ClockSkew,
            LifetimeValidator = WithinLifetime,
        };
        var result = await _handler.ValidateTokenAsync(jwt, parameters);
        if (!result.IsValid)
            return Reason(result.Exception);

        if (!jwt.TryGetPayloadValue<string>("serviceurl", out var claimed) && !jwt.TryGetPayloadValue("serviceUrl", out claimed))
            return "the token has no serviceurl claim";
        if (claimed is null || serviceUrl is null || !SameServiceUrl(claimed, serviceUrl))
            return "the token's serviceurl is not the activity's serviceUrl";
        if (channelId is null || !key.Endorsements.Contains(channelId))
            return $"the signing key is not endorsed for channel '{channelId}'";
        return null;
    }

    public static bool SameServiceUrl(string a, string b) => string.Equals(a.TrimEnd('/'), b.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    private bool WithinLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return expires is { } until && now <= until.ToUniversalTime() + ClockSkew && (notBefore is not { } from || now >= from.ToUniversalTime() - ClockSkew);
    }

    private static string Reason(Exception? exception) => exception switch
    {
        SecurityTokenInvalidAudienceException => "the token is not for this bot's App ID (aud)",
        SecurityTokenInvalidIssuerException => $"the token's issuer is not {Issuer}",
        SecurityTokenInvalidLifetimeException or SecurityTokenExpiredException or SecurityTokenNotYetValidException or SecurityTokenNoExpirationException
            => "the token has expired or is not valid yet",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "the token's signature does not verify",
        SecurityTokenInvalidAlgorithmException => "the token is not signed with RS256",
        null => "the token is not valid",
        _ => "the token is not valid: " + exception.GetType().Name,
    };
}
