namespace BotEngine.Channels.DirectLine;

public sealed record LinkRequest(string? Token);
