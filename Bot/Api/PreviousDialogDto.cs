namespace BotEngine.Bot.Api;

public sealed record PreviousDialogDto(string Id, string Channel, string State, DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt, string? Topic);
