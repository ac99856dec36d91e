namespace BotEngine.Bot.Api;

public sealed record KbRevisionDto(long Revision, long ClassifierRevision, int Articles);
