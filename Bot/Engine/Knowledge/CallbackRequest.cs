namespace BotEngine.Engine.Knowledge;

/// <summary>Out of hours the client left contacts instead of waiting: stored for operators to call back.</summary>
public sealed record CallbackRequest(string? Line, IReadOnlyDictionary<string, string> Contacts);
