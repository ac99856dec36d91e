namespace BotEngine.Bot.Api;

/// <summary>One operator's figures in a period; durations in seconds (to the millisecond).</summary>
public sealed record OperatorStatisticsDto(
    string OperatorId, string Login, string DisplayName, long Dialogs, long Messages, long QuestionAnswerPairs, long Closed,
    double? AvgCloseSeconds, double? AvgResponseSeconds, double? AvgMessageLength);
