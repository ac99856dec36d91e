using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace BotEngine.Http;

/// <summary>
/// Compact HMAC-SHA256 signed tokens: base64url(JSON claims) + "." + base64url(signature). Stateless, so any
/// node holding the key validates them; expiry is part of the signed claims.
/// </summary>
public sealed class SignedTokens(byte[] key)
{
    public string Issue<T>(T claims)
    {
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        return payload + "." + Base64Url(Sign(payload));
    }

    public bool TryRead<T>(string token, out T? claims)
    {
        claims = default;
        var dot = token.IndexOf('.');
        if (dot <= 0 || dot == token.Length - 1)
            return false;
        var payload = token[..dot];
        byte[] signature;
        byte[] body;
        try
        {
            signature = FromBase64Url(token[(dot + 1)..]);
            body = FromBase64Url(payload);
        }
        catch (FormatException)
        {
            return false;
        }
        if (!CryptographicOperations.FixedTimeEquals(signature, Sign(payload)))
            return false;
        try
        {
            claims = JsonSerializer.Deserialize<T>(body);
            return claims is not null;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private byte[] Sign(string payload) => HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(payload));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }

    public static string NewSecret(int bytes = 32) => Base64Url(RandomNumberGenerator.GetBytes(bytes));
}
