namespace BotEngine.Engine.Clients;

/// <summary>A link that attaches the channel account that opens it to a client's profile, once, until it expires.</summary>
public sealed record DeepLink(string Channel, string Token, string Url, DateTimeOffset ExpiresAt);
