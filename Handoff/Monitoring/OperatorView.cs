namespace BotEngine.Handoff;

public sealed record OperatorView(
    string OperatorId, OperatorStatus Status, int ActiveDialogs, int MaxDialogs, IReadOnlyList<string> DialogIds, DateTimeOffset IdleSince);
