namespace BotEngine.Storage.Clients;

/// <summary>One channel account of a client, with the conversation it last wrote from and the channel's type.</summary>
public sealed record ClientAccountRow
{
    public string Channel { get; init; } = "";
    public string? ChannelType { get; init; }
    public string AccountId { get; init; } = "";
    public string? DisplayName { get; init; }
    public long CreatedAt { get; init; }
    public string? ConversationId { get; init; }
}
