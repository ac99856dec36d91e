namespace BotEngine.Engine.Desk;

public sealed record ChannelBindingRequest(string? CallCentre, string? Line);
