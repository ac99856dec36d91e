namespace BotEngine.Bot.Api;

/// <summary>The operator a supervisor gives a waiting dialog to.</summary>
public sealed record AssignRequest(string? OperatorId);
