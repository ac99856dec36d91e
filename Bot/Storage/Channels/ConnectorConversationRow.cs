namespace BotEngine.Storage.Channels;

/// <summary>Where a Bot Framework conversation is answered: the Connector's serviceUrl, its conversation id and the two accounts.</summary>
public sealed record ConnectorConversationRow(
    string ConversationId,
    string Channel,
    string ServiceUrl,
    string RemoteId,
    string BotId,
    string? BotName,
    string UserId,
    string? UserName,
    string? TenantId,
    long UpdatedAt);
