namespace BotEngine.Handoff;

/// <summary>Per call centre configuration the host stores and validates at start.</summary>
public sealed record CallCentreSettings
{
    public required string CallCentre { get; init; }
    public TimerSettings Timers { get; init; } = new();
    /// <summary>Widen a waiting dialog's line after this long (null: never).</summary>
    public OverflowRule? Overflow { get; init; }
    /// <summary>Whether the client's previous operators are tried first.</summary>
    public bool PreferPreviousOperators { get; init; } = true;
    /// <summary>How many previous operators to consider (most recent first).</summary>
    public int PreviousOperatorsToTry { get; init; } = 3;
    /// <summary>Minimum time between queue position notices to one client.</summary>
    public TimeSpan QueueNoticeInterval { get; init; } = TimeSpan.FromMinutes(1);

    public HandoffResult<CallCentreSettings> Validate()
    {
        if (string.IsNullOrWhiteSpace(CallCentre))
        {
            return HandoffError.Validation("call_centre.id", "Call centre id is required.");
        }

        if (Overflow is { After: var after } && after <= TimeSpan.Zero)
        {
            return HandoffError.Validation("call_centre.overflow", "Overflow delay must be positive.");
        }

        var timers = Timers.Validate();
        return timers.IsSuccess ? this : timers.Error!;
    }

    /// <summary>
    /// Completes the requirements the bot, article or channel set: fills the call centre, the client's previous
    /// operators (most recent first) and the overflow rule, per this call centre's settings.
    /// </summary>
    public RoutingRequirements Complete(RoutingRequirements requirements, IReadOnlyList<string> previousOperatorsMostRecentFirst) =>
        requirements with
        {
            CallCentre = requirements.CallCentre ?? CallCentre,
            PreferredOperators = PreferPreviousOperators
                ? previousOperatorsMostRecentFirst.Distinct(StringComparer.Ordinal).Take(PreviousOperatorsToTry).ToArray()
                : [],
            Overflow = requirements.Overflow ?? Overflow,
        };
}
