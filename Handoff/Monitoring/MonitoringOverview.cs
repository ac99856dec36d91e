namespace BotEngine.Handoff;

public sealed record MonitoringOverview(
    int QueueLength,
    IReadOnlyList<WaitingDialogView> Waiting,
    IReadOnlyList<OperatorView> Operators,
    int DialogsWithBot,
    IReadOnlyList<BotDialogView> BotDialogs,
    IReadOnlyList<ProcessingErrorView> Errors);
