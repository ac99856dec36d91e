namespace BotEngine.Engine.Webhooks;

/// <summary>What a round of webhooks found, which tells the loop when to run the next one.</summary>
public enum WebhookRound
{
    /// <summary>No subscription is enabled: changes need not wake the loop, its timer finds a new one.</summary>
    NoSubscriptions,
    /// <summary>Everything captured and due was handled.</summary>
    Done,
    /// <summary>A limit was reached: run again at once.</summary>
    More,
}
