namespace BotEngine.Engine.Webhooks;

/// <summary>A webhook request the engine refuses; the message names the field (400), or 404/409 for the subscription or delivery; <paramref name="code"/> lets a page say it in its language.</summary>
public sealed class WebhookException(string message, int statusCode = 400, string? code = null) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
    public string? Code { get; } = code;
}
