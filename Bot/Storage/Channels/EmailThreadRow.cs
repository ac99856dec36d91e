namespace BotEngine.Storage.Channels;

/// <summary>An e-mail thread: the client's address, the subject, the Message-ID a reply answers and the References chain (space-separated).</summary>
public sealed record EmailThreadRow(string ConversationId, string Channel, string Address, string Subject, string ReplyToId, string Refs);
