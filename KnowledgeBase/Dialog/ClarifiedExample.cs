namespace BotEngine.KnowledgeBase;

/// <summary>
/// A client's pick among the articles a "did you mean" question offered: the text it was asked about, labelled
/// with the chosen article. The engine stores it as a training example.
/// </summary>
public sealed record ClarifiedExample(string Text, string ArticleId, string Language);
