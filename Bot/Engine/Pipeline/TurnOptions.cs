namespace BotEngine.Engine.Pipeline;

/// <summary>How a turn is run (section "Turns"): how long its plan may hold a channel's acknowledgement, and how often a turn that throws is tried again before it is parked.</summary>
public sealed class TurnOptions
{
    /// <summary>
    /// How long a message's turn may be planned before its message is stored, so that both commit together; past it
    /// the message is stored and acknowledged first and the scheduler runs its turn. It bounds the channel's wait, so it
    /// is real time, not the engine's clock.
    /// </summary>
    public TimeSpan PlanAheadBudget { get; set; } = TimeSpan.FromMilliseconds(500);

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
    public static string? Problem(TurnOptions o) =>
        o.PlanAheadBudget < TimeSpan.Zero || o.PlanAheadBudget > TimeSpan.FromMinutes(1) ? "Turns:PlanAheadBudget must be between 0 and 1 minute (0 turns planning ahead off)."
        : o.MaxAttempts is < 1 or > 100 ? "Turns:MaxAttempts must be between 1 and 100."
        : o.RetryBaseDelay <= TimeSpan.Zero ? "Turns:RetryBaseDelay must be positive."
        : o.RetryMaxDelay < o.RetryBaseDelay ? "Turns:RetryMaxDelay must not be less than Turns:RetryBaseDelay."
        : o.RetryLease <= TimeSpan.Zero ? "Turns:RetryLease must be positive."
        : o.RecoverAfter <= TimeSpan.Zero ? "Turns:RecoverAfter must be positive."
        : null;
}
