using BotEngine.Handoff;

namespace BotEngine.Bot.Api;

/// <summary>
/// The supervisor's overview (<see cref="Monitoring.Build"/>); <c>waiting</c> and <c>botDialogs</c> list the first
/// entries only. <c>scope</c> is what the supervisor watches (their routing settings; all when null): the queue,
/// operators and dialogs with the bot are only those in it.
/// </summary>
public sealed record MonitoringDto(
    int QueueLength, IReadOnlyList<WaitingDialogDto> Waiting, IReadOnlyList<OperatorLoadDto> Operators,
    int DialogsWithBot, IReadOnlyList<BotDialogDto> BotDialogs, IReadOnlyList<ProcessingErrorDto> Errors, MonitoringScopeDto? Scope);
