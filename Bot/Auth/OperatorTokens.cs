using BotEngine.Http;
using Microsoft.Extensions.Options;

namespace BotEngine.Bot.Auth;

/// <summary>Issues and checks the bearer tokens operators use for the REST API and pages.</summary>
public sealed class OperatorTokens(SignedTokens tokens, TimeProvider time, IOptions<AuthOptions> options)
{
    private const string TokenType = "operator";

    public (string Token, DateTimeOffset ExpiresAt) Issue(string operatorId, long version)
    {
        var expires = time.GetUtcNow() + options.Value.TokenLifetime;
        return (tokens.Issue(new OperatorClaims(operatorId, expires.ToUnixTimeSeconds(), TokenType, version)), expires);
    }

    /// <summary>The session a well-signed, unexpired token names; whether that session is still current is the caller's check.</summary>
    public OperatorSession? Validate(string token) =>
        tokens.TryRead<OperatorClaims>(token, out var claims) && claims!.Type == TokenType
            && claims.ExpiresAt > time.GetUtcNow().ToUnixTimeSeconds()
            ? new OperatorSession(claims.OperatorId, claims.Version)
            : null;
}
