namespace BotEngine.KnowledgeBase;

/// <summary>A registered external agent that <c>/redirect AGENT_ID</c> hands the dialog to.</summary>
public sealed class ExternalAgent
{
    // A client waits for the agent: one message may wait at most MaxTotalWaitSeconds over all attempts
    // (the engine also caps it with its own Agents:MaxRetryTime).
    public const int MaxTimeoutSeconds = 60;
    public const int MaxRetries = 5;
    public const int MaxTotalWaitSeconds = 120;
    // An agent that answers later (202) may take its time, within reason: a client does not wait a day.
    public const int MinAnswerTimeoutSeconds = 10;
    public const int MaxAnswerTimeoutSeconds = 86_400;

    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    /// <summary>Absolute http(s) URL the engine POSTs turn events to.</summary>
    public string Url { get; set; } = "";
    /// <summary>Shared HMAC-SHA256 key for both directions (events to the agent, callbacks from it).</summary>
    public string Secret { get; set; } = "";
    public int TimeoutSeconds { get; set; } = 10;
    /// <summary>Extra attempts after the first one fails (network error, timeout, 429 or 5xx).</summary>
    public int Retries { get; set; } = 2;

    /// <summary>
    /// What a client writes to leave the agent for an operator (compared word for word, case and punctuation aside):
    /// the dialog is handed off and the agent no longer owns it.
    /// </summary>
    public List<string> OperatorPhrases { get; set; } = ["оператор", "operator"];

    /// <summary>What a client writes to leave the agent for the bot: the bot answers the next message.</summary>
    public List<string> CancelPhrases { get; set; } = ["отмена", "cancel"];

    /// <summary>
    /// How long the engine waits for an asynchronous answer (the agent took the event with 202) before the client is
    /// told and the dialog goes to <see cref="Fallback"/>.
    /// </summary>
    public int AnswerTimeoutSeconds { get; set; } = 300;

    /// <summary>Where the dialog goes when the agent has not answered within <see cref="AnswerTimeoutSeconds"/>.</summary>
    public AgentFallback Fallback { get; set; } = AgentFallback.Operator;
}
