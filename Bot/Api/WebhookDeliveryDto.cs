using System.Text.Json;
using BotEngine.Storage;
using BotEngine.Storage.Webhooks;

namespace BotEngine.Bot.Api;

/// <summary>One delivery of a subscription's log: the event, its state (pending, delivered, dead), attempts and the last failure.</summary>
public sealed record WebhookDeliveryDto(string Id, string EventId, string EventType, string Stream, DateTimeOffset EventAt, string State,
    long Attempts, DateTimeOffset? NextAttemptAt, int? LastStatus, string? LastError, DateTimeOffset? DeliveredAt, DateTimeOffset CreatedAt,
    JsonElement Payload)
{
    public static WebhookDeliveryDto From(WebhookDeliveryRow row) => new(
        row.Id, row.EventKey, row.EventType, row.Stream, TimeExtensions.FromMicros(row.EventAt), row.State, row.Attempts,
        row.State == WebhookStore.Pending ? TimeExtensions.FromMicros(row.NextAttemptAt) : null,
        row.LastStatus is { } s ? (int)s : null, row.LastError,
        row.DeliveredAt is { } d ? TimeExtensions.FromMicros(d) : null, TimeExtensions.FromMicros(row.CreatedAt),
        JsonDocument.Parse(row.Payload).RootElement.Clone());
}
