namespace BotEngine.Engine.Knowledge;

/// <summary>Where the knowledge is: the stored revision, and the revision the classifier was trained on.</summary>
public sealed record KnowledgeStatus(long Revision, long ClassifierRevision, int Articles);
