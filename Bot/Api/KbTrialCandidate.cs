namespace BotEngine.Bot.Api;

/// <summary>
/// One of the classifier's top intents and what the runner made of it. <paramref name="Verdict"/>: <c>chosen</c>,
/// <c>below_threshold</c>, <c>not_offered</c> (the article's access settings exclude this language, call centre or
/// line), <c>not_in_kb</c> (the classifier was trained before the article was removed), or <c>passed_over</c>.
/// </summary>
public sealed record KbTrialCandidate(string ArticleId, string? Title, double Confidence, string Verdict);
