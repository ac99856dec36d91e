namespace BotEngine.Engine.Webhooks;

/// <summary>
/// A subscription as an administrator sends it: the URL (http or https), the event types, an optional secret (made
/// when a new subscription has none; kept when an edit leaves it out), a description and whether it is enabled.
/// </summary>
public sealed record WebhookRequest(string? Url, string[]? Events, string? Secret, string? Description, bool? Enabled);
