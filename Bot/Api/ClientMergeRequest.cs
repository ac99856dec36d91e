namespace BotEngine.Bot.Api;

public sealed record ClientMergeRequest(string? SourceId, Dictionary<string, string>? Choices);
