namespace BotEngine.Storage.Messages;

/// <summary>An inbound message looked up for a replay: its conversation, when it was parked (null: it is not), and its dialog's state.</summary>
public sealed record ReplayCandidate(string ConversationId, long? ParkedAt, string DialogState);
