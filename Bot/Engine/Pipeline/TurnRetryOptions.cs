namespace BotEngine.Engine.Pipeline;

/// <summary>How often a turn that throws is tried again before it is parked (section "Turns").</summary>
public sealed class TurnRetryOptions
{
    /// <summary>Runs of one message's turn before it is parked and the conversation moves on.</summary>
    public int MaxAttempts { get; set; } = 5;
    /// <summary>The wait after the first failure; it doubles after each further failure, up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>How long a node holds a claimed retry; if it dies meanwhile, another node takes the message after this.</summary>
    public TimeSpan RetryLease { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>A message still unprocessed this long after it arrived is recovered by any node's sweep (claimed and counted).</summary>
    public TimeSpan RecoverAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>What is wrong with the settings, naming the setting; null when they are fine.</summary>
    public static string? Problem(TurnRetryOptions o) =>
        o.MaxAttempts is < 1 or > 100 ? "Turns:MaxAttempts must be between 1 and 100."
        : o.RetryBaseDelay <= TimeSpan.Zero ? "Turns:RetryBaseDelay must be positive."
        : o.RetryMaxDelay < o.RetryBaseDelay ? "Turns:RetryMaxDelay must not be less than Turns:RetryBaseDelay."
        : o.RetryLease <= TimeSpan.Zero ? "Turns:RetryLease must be positive."
        : o.RecoverAfter <= TimeSpan.Zero ? "Turns:RecoverAfter must be positive."
        : null;
}
