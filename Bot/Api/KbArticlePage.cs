namespace BotEngine.Bot.Api;

/// <summary>A page of the articles table. <paramref name="NextCursor"/> fetches the next page (null on the last); <paramref name="Total"/> counts every match.</summary>
public sealed record KbArticlePage(IReadOnlyList<KbArticleRow> Items, string? NextCursor, int Total, string Sort);
