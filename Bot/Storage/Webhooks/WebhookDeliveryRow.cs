namespace BotEngine.Storage.Webhooks;

/// <summary>A row of <c>webhook_deliveries</c>: one event for one subscription and how its delivery went.</summary>
public sealed record WebhookDeliveryRow
{
    public string Id { get; init; } = "";
    public string SubscriptionId { get; init; } = "";
    public string EventKey { get; init; } = "";
    public string EventType { get; init; } = "";
    public string Stream { get; init; } = "";
    public long EventAt { get; init; }
    public long Ordinal { get; init; }
    public string Payload { get; init; } = "";
    public string State { get; init; } = "";
    public long Attempts { get; init; }
    public long NextAttemptAt { get; init; }
    public long? LastStatus { get; init; }
    public string? LastError { get; init; }
    public long? DeliveredAt { get; init; }
    public long CreatedAt { get; init; }
}
