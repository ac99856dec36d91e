namespace BotEngine.Engine.Clients;

/// <summary>The client the visitor is now, the fields the site vouched for, and whether a known profile took the visitor in.</summary>
public sealed record IdentityResult(string ClientId, IReadOnlyList<string> Verified, bool JoinedKnownClient);
