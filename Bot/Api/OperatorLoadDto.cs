namespace BotEngine.Bot.Api;

public sealed record OperatorLoadDto(
    string Id, string Login, string DisplayName, string Status, int MaxDialogs, IReadOnlyList<string> Dialogs, int ActiveDialogs, DateTimeOffset IdleSince);
