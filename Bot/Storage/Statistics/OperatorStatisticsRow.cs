namespace BotEngine.Storage.Statistics;

/// <summary>One operator's figures in a period; durations in microseconds, null where there was nothing to average.</summary>
public sealed record OperatorStatisticsRow
{
    public string OperatorId { get; init; } = "";
    public string Login { get; init; } = "";
    public string DisplayName { get; init; } = "";
    /// <summary>Distinct dialogs assigned to the operator in the period.</summary>
    public long Dialogs { get; init; }
    /// <summary>Messages the operator sent in the period.</summary>
    public long Messages { get; init; }
    /// <summary>Operator messages that answered a client message (the message right before, among client and operator messages).</summary>
    public long QuestionAnswerPairs { get; init; }
    /// <summary>Dialogs the operator closed in the period.</summary>
    public long Closed { get; init; }
    /// <summary>Assigned to closed, over the dialogs the operator closed.</summary>
    public double? AvgCloseMicros { get; init; }
    public double? AvgResponseMicros { get; init; }
    /// <summary>Characters per operator message with text.</summary>
    public double? AvgMessageLength { get; init; }
}
