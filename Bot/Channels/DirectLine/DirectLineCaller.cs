namespace BotEngine.Channels.DirectLine;

/// <summary>
/// What a Direct Line bearer credential grants: the secret reaches every conversation, a token one conversation
/// until <paramref name="ExpiresAt"/> (null for the secret). <paramref name="UserId"/> is null only in tokens issued
/// before conversations were bound to a user.
/// </summary>
public sealed record DirectLineCaller(bool IsSecret, string? ConversationId, string? UserId, DateTimeOffset? ExpiresAt = null);
