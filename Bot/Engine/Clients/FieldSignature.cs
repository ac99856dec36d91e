using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace BotEngine.Engine.Clients;

/// <summary>
/// Checks a site's signature over the fields it passes about a signed-in customer. Two schemes:
/// <list type="bullet">
/// <item><c>hmac</c> (recommended): lowercase hex HMAC-SHA256, keyed with the shared secret, of the lines
/// <c>timestamp=&lt;unix seconds&gt;</c> and <c>name=value</c> for each field in <see cref="Order"/>, joined by "\n".
/// The timestamp bounds how long a captured signature can be replayed.</item>
/// <item><c>md5</c> (compatible with LiveChat-style widgets): lowercase hex MD5 of the values concatenated in
/// <see cref="Order"/>, followed by the secret.</item>
/// </list>
/// </summary>
public static class FieldSignature
{
    public const string Hmac = "hmac";
    public const string Md5 = "md5";

    /// <summary>
    /// The order fields are signed in: the standard ones as given (firstName, lastName, phone, email, contract, each
    /// only if passed), then custom fields by name (ordinal), named <c>fields.&lt;name&gt;</c>.
    /// </summary>
    public static IReadOnlyList<(string Name, string Value)> Order(IEnumerable<(string Name, string Value)> standard, IEnumerable<(string Name, string Value)> custom) =>
        [.. standard, .. custom.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => ("fields." + f.Name, f.Value))];

    public static string Md5Of(IEnumerable<string> values, string secret)
    {
        var text = string.Concat(values) + secret;
#pragma warning disable CA5351 // MD5 is what the sites using this scheme compute; HMAC-SHA256 is the default.
        return Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5351
    }

    public static string HmacOf(long timestamp, IEnumerable<(string Name, string Value)> fields, string secret)
    {
        var lines = new[] { "timestamp=" + timestamp.ToString(CultureInfo.InvariantCulture) }.Concat(fields.Select(f => f.Name + "=" + f.Value));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(string.Join('\n', lines))));
    }

    /// <summary>Constant-time comparison of a received hex signature with the expected one (case-insensitive).</summary>
    public static bool Matches(string expected, string? received) =>
        received is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(received.Trim().ToLowerInvariant()));
}
