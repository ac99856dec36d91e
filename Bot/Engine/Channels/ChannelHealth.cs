namespace BotEngine.Engine.Channels;

/// <summary>What an administrator checks first when a channel goes quiet.</summary>
public sealed record ChannelHealth(DateTimeOffset? LastInboundAt, DateTimeOffset? LastDeliveredAt, string? LastError, DateTimeOffset? LastErrorAt);
