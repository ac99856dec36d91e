namespace BotEngine.Bot.Middleware;

/// <summary>
/// Rate limits on the public endpoints (section <c>RateLimits</c>), as token buckets: a bucket holds <c>*Burst</c>
/// requests and refills by <c>*PerSecond</c> (<c>*PerMinute</c>). The defaults stop floods, not people: a human
/// writes far slower, and one address may be a whole office behind NAT (or the benchmark's 16 clients).
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>Every Direct Line request naming a conversation counts against that conversation.</summary>
    public int ConversationBurst { get; set; } = 200;
    public int ConversationPerSecond { get; set; } = 100;
    /// <summary>Every Direct Line request counts against the client's address.</summary>
    public int AddressBurst { get; set; } = 4000;
    public int AddressPerSecond { get; set; } = 2000;
    /// <summary><c>POST /webchat/token</c> per address.</summary>
    public int WebChatTokenBurst { get; set; } = 60;
    public int WebChatTokensPerMinute { get; set; } = 60;

    public bool IsValid() => ConversationBurst > 0 && ConversationPerSecond > 0 && AddressBurst > 0 && AddressPerSecond > 0
        && WebChatTokenBurst > 0 && WebChatTokensPerMinute > 0;
}
