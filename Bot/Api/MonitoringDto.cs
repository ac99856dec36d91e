using BotEngine.Handoff;

namespace BotEngine.Bot.Api;

/// <summary>The supervisor's overview (<see cref="Monitoring.Build"/>); <c>waiting</c> and <c>botDialogs</c> list the first entries only.</summary>
public sealed record MonitoringDto(
    int QueueLength, IReadOnlyList<WaitingDialogDto> Waiting, IReadOnlyList<OperatorLoadDto> Operators,
    int DialogsWithBot, IReadOnlyList<BotDialogDto> BotDialogs, IReadOnlyList<ProcessingErrorDto> Errors);
