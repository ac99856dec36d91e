namespace BotEngine.Bot.Api;

/// <summary>How many of the named messages were still in the inbox and are now skipped.</summary>
public sealed record SkipResultDto(int Skipped);
