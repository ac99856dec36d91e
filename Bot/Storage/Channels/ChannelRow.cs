namespace BotEngine.Storage.Channels;

/// <summary>A configured channel instance as stored, its binding joined in.</summary>
public sealed record ChannelRow(
    string Id,
    string Type,
    string Settings,
    long Enabled,
    string? InboundCursor,
    string? CallCentre,
    string? Line,
    long CreatedAt,
    long UpdatedAt,
    long? LastInboundAt,
    long? LastDeliveredAt,
    string? LastError,
    long? LastErrorAt);
