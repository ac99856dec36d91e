namespace BotEngine.Bot.Api;

public sealed record TopicDto(string Id, string Name);
