using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace BotEngine.Channels.Messengers;

/// <summary>
/// Reads a webhook's raw body and checks the hex HMAC-SHA256 a messenger signs it with (Viber under the bot's token,
/// Facebook under the app secret), in constant time, before anything in it is trusted.
/// </summary>
public static class WebhookSignature
{
    /// <summary>The body as sent (the request limits middleware has already bounded its size).</summary>
    public static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var copy = new MemoryStream();
        await request.Body.CopyToAsync(copy, cancellationToken);
        return copy.ToArray();
    }

    public static bool Matches(string key, byte[] body, string? givenHex)
    {
        if (string.IsNullOrEmpty(givenHex) || givenHex.Length != 64)
            return false;
        byte[] given;
        try
        {
            given = Convert.FromHexString(givenHex);
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), body), given);
    }

    /// <summary>The signature a messenger would send for this body (the tests sign with it).</summary>
    public static string Of(string key, byte[] body) => Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), body));

    public static bool SameSecret(string? given, string expected) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}
