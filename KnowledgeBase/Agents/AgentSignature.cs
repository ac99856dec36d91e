using System.Security.Cryptography;
using System.Text;

namespace BotEngine.KnowledgeBase;

/// <summary><c>X-BotEngine-Signature: sha256=&lt;hex HMAC-SHA256(secret, raw body)&gt;</c>, in both directions.</summary>
public static class AgentSignature
{
    public const string HeaderName = "X-BotEngine-Signature";
    public const string EventIdHeaderName = "X-BotEngine-Event-Id";
    private const string Prefix = "sha256=";

    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>Constant-time check of a header value against the raw body; verify before parsing anything.</summary>
    public static bool Verify(string secret, ReadOnlySpan<byte> body, string? header)
    {
        if (header is null || !header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || header.Length != Prefix.Length + 64)
            return false;
        byte[] given;
        try
        {
            given = Convert.FromHexString(header.AsSpan(Prefix.Length));
        }
        catch (FormatException)
        {
            return false;
        }
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
