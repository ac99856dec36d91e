namespace BotEngine.Engine.Statistics;

/// <summary>One operator's time in each status and with at least one dialog, in microseconds.</summary>
public sealed class OperatorStatusTimes
{
    public Dictionary<string, long> StatusMicros { get; } = new(StringComparer.Ordinal);

    public long WithDialogsMicros { get; set; }

    public void AddStatus(string status, long micros) => StatusMicros[status] = StatusMicros.GetValueOrDefault(status) + micros;
}
