namespace BotEngine.Storage.Statistics;

/// <summary>Totals over the dialogs opened in a period (test clients left out); durations in microseconds.</summary>
public sealed record StatisticsSummaryRow
{
    public long Dialogs { get; init; }
    /// <summary>Never queued nor assigned: the bot alone served them.</summary>
    public long HandledByBotOnly { get; init; }
    /// <summary>Assigned to an operator at least once.</summary>
    public long HandledByOperators { get; init; }
    /// <summary>Queued, never assigned (the client left or is still waiting).</summary>
    public long QueuedNeverAssigned { get; init; }
    public long Closed { get; init; }
    public long ClosedByBot { get; init; }
    public long ClosedByOperators { get; init; }
    public long ClosedByTimeout { get; init; }
    /// <summary>Opened to closed, over the closed dialogs.</summary>
    public double? AvgCloseMicros { get; init; }
    /// <summary>First queued to the first operator message, over the dialogs an operator answered.</summary>
    public double? AvgFirstResponseMicros { get; init; }
    /// <summary>A client message to the operator message right after it (client and operator messages only).</summary>
    public double? AvgResponseMicros { get; init; }
    public long QuestionAnswerPairs { get; init; }
    public long Messages { get; init; }
    public long ClientMessages { get; init; }
    public long BotMessages { get; init; }
    public long OperatorMessages { get; init; }
}
