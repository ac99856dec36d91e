namespace BotEngine.Bot.Auth;

/// <summary>What a valid token says: whose it is and which of their sessions' versions.</summary>
public sealed record OperatorSession(string OperatorId, long Version);
