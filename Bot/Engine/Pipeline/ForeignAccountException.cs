namespace BotEngine.Engine.Pipeline;

/// <summary>An activity names another account than the one its conversation belongs to.</summary>
public sealed class ForeignAccountException(string conversationId)
    : Exception($"Conversation '{conversationId}' belongs to another user.");
