namespace BotEngine.Storage.Desk;

public sealed record ChannelBinding(string Channel, string? CallCentre, string? Line);
