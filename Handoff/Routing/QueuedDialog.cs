namespace BotEngine.Handoff;

/// <summary>A dialog waiting in the queue, as read from storage at the start of a routing pass.</summary>
public sealed record QueuedDialog(string DialogId, string ClientId, RoutingRequirements Requirements, DateTimeOffset QueuedAt);
