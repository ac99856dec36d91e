namespace BotEngine.Storage;

public static class TimeExtensions
{
    /// <summary>Unix time in microseconds: the storage format of every timestamp, identical on both engines.</summary>
    public static long NowMicros(this TimeProvider time) => ToMicros(time.GetUtcNow());

    public static long ToMicros(DateTimeOffset value) => (value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static DateTimeOffset FromMicros(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * 10);
}
