namespace BotEngine.Storage.Webhooks;

/// <summary>
/// Something the engine stored that a subscription may want, as the capture reads it: a dialog event, a message, a
/// rating or an operator's status change. Which fields are set depends on <see cref="EventType"/>.
/// </summary>
public sealed record WebhookSourceEvent
{
    public string EventKey { get; init; } = "";
    public string EventType { get; init; } = "";
    public string Stream { get; init; } = "";
    public long At { get; init; }
    /// <summary>Orders events of one stream with the same time (see migration 019).</summary>
    public long Ordinal { get; init; }
    public string? DialogId { get; init; }
    public string? ClientId { get; init; }
    public string? Channel { get; init; }
    public string? OperatorId { get; init; }
    public string? Line { get; init; }
    public string? CallCentre { get; init; }
    public string? MessageId { get; init; }
    public string? Author { get; init; }
    public string? Text { get; init; }
    public string? ClosedBy { get; init; }
    public string? Topic { get; init; }
    public long? Rating { get; init; }
    public string? RatingComment { get; init; }
    public string? Status { get; init; }
}
