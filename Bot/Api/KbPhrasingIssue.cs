namespace BotEngine.Bot.Api;

/// <summary>
/// A phrasing the bot could not tell apart from another: <paramref name="DuplicateOf"/> is the index of an earlier
/// phrasing of the same article that normalises to the same words; <paramref name="ArticleId"/> and
/// <paramref name="ArticleTitle"/> name another article that already has it.
/// </summary>
public sealed record KbPhrasingIssue(int Index, string Phrasing, int? DuplicateOf, string? ArticleId, string? ArticleTitle);
