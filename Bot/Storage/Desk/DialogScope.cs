namespace BotEngine.Storage.Desk;

/// <summary>
/// Which dialogs a read may return: every dialog, or an operator's (those they hold or were ever offered, and with
/// <c>SeesClientHistory</c> the other dialogs of the clients they are serving now).
/// </summary>
public sealed record DialogScope(string OperatorId, bool SeesAll, bool SeesClientHistory);
