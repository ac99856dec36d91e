namespace BotEngine.Bot.Api;

/// <summary>Dialogs under a key (a channel, a topic) or in a time bucket starting at <see cref="Start"/>.</summary>
public sealed record StatisticsCountDto(string Key, DateTimeOffset? Start, long Dialogs, long HandledByOperators);
