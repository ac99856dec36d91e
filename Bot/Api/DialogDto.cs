namespace BotEngine.Bot.Api;

public sealed record DialogDto(string Id, string State, string Channel, string ClientId, string? OperatorId, string Language, DateTimeOffset OpenedAt, DateTimeOffset? QueuedAt, DateTimeOffset? AssignedAt, DateTimeOffset? ClosedAt, DateTimeOffset LastMessageAt)
{
    public string? CallCentre { get; init; }
    public string? Line { get; init; }
    /// <summary>A transfer note waiting for the receiving operator; cleared when they accept.</summary>
    public BotEngine.Handoff.TransferNote? Note { get; init; }
}
