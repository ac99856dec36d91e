namespace BotEngine.Engine.Knowledge;

/// <summary>
/// One phrasing quality hint about an article. <see cref="Kind"/>: <c>confused</c> (<see cref="Count"/> of its
/// <see cref="Of"/> phrasings, held out by cross-validation, were answered with <see cref="OtherId"/>),
/// <c>few_phrasings</c> (it has <see cref="Count"/>, fewer than <see cref="PhrasingQuality.MinPhrasings"/>), or
/// <c>duplicate</c> (it shares <see cref="Count"/> of its <see cref="Of"/> phrasings, or its title, with <see cref="OtherId"/>).
/// </summary>
public sealed record QualityHint(string ArticleId, string Title, string Kind, int Count, int Of, string? OtherId = null, string? OtherTitle = null)
{
    public IReadOnlyList<string> Examples { get; init; } = [];
}
