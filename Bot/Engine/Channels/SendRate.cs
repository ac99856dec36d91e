namespace BotEngine.Engine.Channels;

/// <summary>One send per <see cref="Interval"/> on average, with up to <see cref="Burst"/> at once.</summary>
public sealed record SendRate(TimeSpan Interval, int Burst)
{
    public static SendRate PerSecond(double sends, int burst) => new(TimeSpan.FromSeconds(1 / sends), burst);
}
