namespace BotEngine.Bot.Api;

/// <param name="ClientId">The client to write to.</param>
/// <param name="ConversationId">One of the client's conversations (its channel); left out, the one they last wrote from.</param>
/// <param name="Text">The first message.</param>
/// <param name="Language">ru or en; left out, the language of the client's last dialog.</param>
public sealed record WorkplaceStartRequest(string? ClientId, string? ConversationId, string? Text, string? Language);
