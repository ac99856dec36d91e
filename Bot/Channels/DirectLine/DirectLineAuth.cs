using System.Security.Cryptography;
using System.Text;
using BotEngine.Http;

namespace BotEngine.Channels.DirectLine;

/// <summary>Checks the Direct Line secret and issues conversation-scoped tokens, as Azure's Direct Line does.</summary>
public sealed class DirectLineAuth
{
    private readonly byte[] _secret;
    private readonly SignedTokens _tokens;
    private readonly TimeProvider _time;

    public DirectLineAuth(string secret, TimeSpan lifetime, TimeProvider time)
    {
        _secret = Encoding.UTF8.GetBytes(secret);
        _tokens = new SignedTokens(SHA256.HashData(Encoding.UTF8.GetBytes("directline-token:" + secret)));
        Lifetime = lifetime;
        _time = time;
    }

    public TimeSpan Lifetime { get; }

    /// <summary>A user id the engine chooses for a conversation made without one: unguessable, so no other conversation can claim it.</summary>
    public static string NewUserId() => "dl_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public string Issue(string conversationId, string? userId) =>
        "dl_" + _tokens.Issue(new DirectLineClaims(conversationId, userId, (_time.GetUtcNow() + Lifetime).ToUnixTimeSeconds()));

    public AuthResult Authenticate(string? authorizationHeader)
    {
        if (authorizationHeader is null || !authorizationHeader.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthResult.Fail(401, "BadArgument", "Missing 'Authorization: Bearer <secret or token>'.");
        var credential = authorizationHeader["Bearer ".Length..].Trim();
        if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(credential), _secret))
            return AuthResult.Ok(new DirectLineCaller(true, null, null));
        if (!credential.StartsWith("dl_", StringComparison.Ordinal) || !_tokens.TryRead<DirectLineClaims>(credential[3..], out var claims))
            return AuthResult.Fail(403, "BadArgument", "The secret or token is not valid.");
        if (claims!.ExpiresAt <= _time.GetUtcNow().ToUnixTimeSeconds())
            return AuthResult.Fail(403, "TokenExpired", "The token has expired; generate a new one.");
        return AuthResult.Ok(new DirectLineCaller(false, claims.ConversationId, claims.UserId, DateTimeOffset.FromUnixTimeSeconds(claims.ExpiresAt)));
    }

    public sealed record AuthResult(DirectLineCaller? Caller, int Status, string? Code, string? Message)
    {
        public static AuthResult Ok(DirectLineCaller caller) => new(caller, 200, null, null);

        public static AuthResult Fail(int status, string code, string message) => new(null, status, code, message);
    }
}
