namespace BotEngine.Bot.Api;

/// <summary>Totals over the dialogs opened in [from, to); durations in seconds (to the millisecond), null when nothing to average.</summary>
public sealed record StatisticsSummaryDto(
    DateTimeOffset From, DateTimeOffset To, long Dialogs, long HandledByBotOnly, long HandledByOperators, long QueuedNeverAssigned,
    long Closed, long ClosedByBot, long ClosedByOperators, long ClosedByTimeout,
    double? AvgCloseSeconds, double? AvgFirstResponseSeconds, double? AvgResponseSeconds, long QuestionAnswerPairs,
    long Messages, double? MessagesPerDialog, long ClientMessages, long BotMessages, long OperatorMessages);
