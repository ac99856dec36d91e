namespace BotEngine.Storage.Webhooks;

/// <summary>A row of <c>webhook_subscriptions</c>: where events go, which ones (comma-separated types), and the signing secret.</summary>
public sealed record WebhookSubscriptionRow
{
    public string Id { get; init; } = "";
    public string Url { get; init; } = "";
    public string Events { get; init; } = "";
    public string Secret { get; init; } = "";
    public string? Description { get; init; }
    public long Enabled { get; init; }
    public string CreatedBy { get; init; } = "";
    public long CreatedAt { get; init; }
    public long UpdatedAt { get; init; }
    public long CapturedUntil { get; init; }

    public IReadOnlyList<string> EventTypes() => Events.Split(',', StringSplitOptions.RemoveEmptyEntries);
}
