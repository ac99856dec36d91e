namespace BotEngine.Nlu.Training;

public sealed record SvmOptions
{
    public double C { get; init; } = 2.0;
    public double Tolerance { get; init; } = 0.6;
    public int MaxIterations { get; init; } = 300;
    /// <summary>The bias is learned as a constant feature of this value (regularised like liblinear).</summary>
    public double BiasScale { get; init; } = 1.0;
    /// <summary>Extra cost on the positive side of each one-vs-rest problem; counters the 1:K-1 imbalance.</summary>
    public double PositiveBoost { get; init; } = 1.0;
    public int Seed { get; init; } = 1;

    /// <summary>Solve all one-vs-rest problems in one pass over the rows (SIMD over classes) instead of one by one.</summary>
    public bool AllClassesAtOnce { get; init; } = true;
    public int Threads { get; init; } = Math.Max(1, Environment.ProcessorCount);
}
