using System.Security.Cryptography;
using System.Text;

namespace BotEngine.Bot.Tests.Clients;

/// <summary>What a site's backend computes to sign its customer's fields for the widget (the HMAC scheme), written apart from the engine's code.</summary>
public static class SiteSignature
{
    public static string Hmac(string secret, long timestamp, params (string Name, string Value)[] fields)
    {
        var text = string.Join('\n', new[] { $"timestamp={timestamp}" }.Concat(fields.Select(f => $"{f.Name}={f.Value}")));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(text)));
    }
}
