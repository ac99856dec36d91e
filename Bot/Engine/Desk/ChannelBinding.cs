namespace BotEngine.Engine.Desk;

public sealed record ChannelBinding(string Channel, string? CallCentre, string? Line);
