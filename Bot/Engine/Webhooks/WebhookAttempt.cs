namespace BotEngine.Engine.Webhooks;

/// <summary>What one POST of a webhook delivery came to: delivered or not, the HTTP status if there was an answer, and why it failed.</summary>
public sealed record WebhookAttempt(bool Delivered, int? Status, string? Error);
