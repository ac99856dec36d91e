namespace BotEngine.Channels.DirectLine;

public sealed record RatingRequest(int? Rating, string? Comment);
