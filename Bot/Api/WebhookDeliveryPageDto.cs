namespace BotEngine.Bot.Api;

/// <summary>A page of a subscription's delivery log, newest first; <c>nextCursor</c> continues with older ones.</summary>
public sealed record WebhookDeliveryPageDto(IReadOnlyList<WebhookDeliveryDto> Deliveries, string? NextCursor);
