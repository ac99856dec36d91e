using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace BotEngine.Engine.Webhooks;

/// <summary>
/// The <c>X-BotEngine-Signature</c> header of a webhook POST: <c>t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</c>, where hex is
/// the lowercase HMAC-SHA256 under the subscription's secret of <c>&lt;t&gt;.&lt;body&gt;</c>. The receiver recomputes
/// it and refuses a timestamp outside its replay window (5 minutes is the suggested one), so a captured request
/// cannot be replayed later.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-BotEngine-Signature";

    public static string Sign(string secret, DateTimeOffset at, string body)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "." + body));
        return $"t={timestamp},v1={Convert.ToHexStringLower(mac)}";
    }
}
