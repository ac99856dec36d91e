namespace BotEngine.KnowledgeBase;

/// <summary>A registered external agent that <c>/redirect AGENT_ID</c> hands the dialog to.</summary>
public sealed class ExternalAgent
{
    // A client waits for the agent: one message may wait at most MaxTotalWaitSeconds over all attempts
    // (the engine also caps it with its own Agents:MaxRetryTime).
    public const int MaxTimeoutSeconds = 60;
    public const int MaxRetries = 5;
    public const int MaxTotalWaitSeconds = 120;

    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    /// <summary>Absolute http(s) URL the engine POSTs turn events to.</summary>
    public string Url { get; set; } = "";
    /// <summary>Shared HMAC-SHA256 key for both directions (events to the agent, callbacks from it).</summary>
    public string Secret { get; set; } = "";
    public int TimeoutSeconds { get; set; } = 10;
    /// <summary>Extra attempts after the first one fails (network error, timeout, 429 or 5xx).</summary>
    public int Retries { get; set; } = 2;
}
