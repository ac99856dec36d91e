using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace BotEngine.Bot.Api;

/// <summary>
/// The opaque cursor of the articles table: the last article shown and its position, tied to the query that made it.
/// The next page starts after that article wherever it now is, so articles saved or removed meanwhile neither repeat
/// nor skip the rest; if it was removed, the position is used.
/// </summary>
public sealed record KbListCursor(string LastId, int Position)
{
    private const string Version = "k1";

    public string Encode(string fingerprint) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Join('\n', Version, Hash(fingerprint), Position.ToString(CultureInfo.InvariantCulture), LastId)));

    /// <summary>The cursor, or a problem naming it.</summary>
    public static (KbListCursor? Cursor, string? Problem) Decode(string text, string fingerprint)
    {
        string[] parts;
        try
        {
            parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text)).Split('\n', 4);
        }
        catch (FormatException)
        {
            parts = [];
        }
        if (parts.Length != 4 || parts[0] != Version || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var position))
            return (null, "cursor: not a cursor this API gave out; leave it out to start from the first page.");
        if (parts[1] != Hash(fingerprint))
            return (null, "cursor: made for another search, filter or sort; leave it out to start from the first page.");
        return (new KbListCursor(parts[3], position), null);
    }

    private static string Hash(string fingerprint) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(fingerprint)), 0, 8);
}
