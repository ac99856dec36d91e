using BotEngine.KnowledgeBase;

namespace BotEngine.Storage.Knowledge;

/// <summary>The stored knowledge base and the revision it was stored under (0: stored by a build without revisions, or nothing stored).</summary>
public sealed record StoredKb(KbDocument Document, long Revision);
