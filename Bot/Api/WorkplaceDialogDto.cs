namespace BotEngine.Bot.Api;

/// <summary>
/// A row of the operator's dialog list: who the client is, where they write from, the client's last message, how many messages
/// the client sent (the page counts the unread ones), the response deadline and the hold that runs.
/// </summary>
public sealed record WorkplaceDialogDto(
    string Id, string State, string Channel, string ClientId, string? ClientName, string Language, string? CallCentre, string? Line,
    DateTimeOffset OpenedAt, DateTimeOffset? QueuedAt, DateTimeOffset? AssignedAt, DateTimeOffset LastMessageAt,
    string? LastText, string? LastAuthor, long ClientMessages)
{
    /// <summary>Since when the client waits for the operator's answer; null when the operator has answered.</summary>
    public DateTimeOffset? AwaitingReplySince { get; init; }
    /// <summary>When the answer is due (the response KPI).</summary>
    public DateTimeOffset? ResponseDueAt { get; init; }
    /// <summary>"operator" (a hold pattern was sent) or "client", with <see cref="HoldStartedAt"/>; null when no hold runs.</summary>
    public string? Hold { get; init; }
    public DateTimeOffset? HoldStartedAt { get; init; }
    public BotEngine.Handoff.TransferNote? Note { get; init; }
    /// <summary>The conversation (channel) the client last wrote from, where a reply goes unless the operator picks another.</summary>
    public string? ConversationId { get; init; }
    /// <summary>The type of the dialog's channel ("email", "telegram", ...; the channel's own name for built-in ones).</summary>
    public string? ChannelType { get; init; }
}
