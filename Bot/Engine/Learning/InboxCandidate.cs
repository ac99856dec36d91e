namespace BotEngine.Engine.Learning;

/// <summary>One of the live classifier's best articles for an inbox text, with its title and calibrated confidence.</summary>
public sealed record InboxCandidate(string ArticleId, string Title, double Confidence);
