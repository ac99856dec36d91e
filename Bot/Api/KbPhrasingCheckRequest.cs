namespace BotEngine.Bot.Api;

/// <summary>The phrasings of an article being edited; <see cref="ArticleId"/> (empty for a new article) is left out of the "another article" check.</summary>
public sealed class KbPhrasingCheckRequest
{
    public string ArticleId { get; set; } = "";
    public List<string> Questions { get; set; } = [];
}
