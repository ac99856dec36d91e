namespace BotEngine.Bot.Api;

/// <summary>
/// An operator on the supervisor's overview: status and since when (<c>statusSeconds</c> is the time in it), capacity,
/// the dialogs held (ids, and in <c>dialogDetails</c> with the client and since when), and their routing settings.
/// </summary>
public sealed record OperatorLoadDto(
    string Id, string Login, string DisplayName, string Status, int MaxDialogs, IReadOnlyList<string> Dialogs, int ActiveDialogs, DateTimeOffset IdleSince,
    DateTimeOffset StatusSince, double StatusSeconds, IReadOnlyCollection<string> CallCentres, IReadOnlyCollection<string> Languages,
    IReadOnlyCollection<string> Lines, IReadOnlyCollection<string> Skills, IReadOnlyList<OperatorDialogDto>? DialogDetails = null);
