namespace BotEngine.Handoff;

/// <summary>
/// Timeouts of one call centre. A null span switches that timer off. A null message means "act silently".
/// </summary>
public sealed record TimerSettings
{
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The operator has not answered the client (or accepted the offer) in time: back to the queue, others preferred.</summary>
    public TimeSpan? OperatorResponseTimeout { get; init; }

    /// <summary>(b) Remind the client that an answer is awaited.</summary>
    public TimeSpan? ClientReminderAfter { get; init; }
    public string? ClientReminderMessage { get; init; }

    /// <summary>(a) Release the operator; the client's next message re-attaches preferring the same operator.</summary>
    public TimeSpan? ClientDetachAfter { get; init; }
    public string? ClientDetachMessage { get; init; }

    /// <summary>(c) Close the dialog.</summary>
    public TimeSpan? ClientAutoCloseAfter { get; init; }
    public string? ClientAutoCloseMessage { get; init; }

    /// <summary>Operator messages equal to one of these (ignoring case and extra spaces) put the client on hold.</summary>
    public IReadOnlyList<string> HoldPatterns { get; init; } = [];

    /// <summary>Hold started by a hold pattern ("operator timeout"); client messages do not stop it.</summary>
    public TimeSpan? HoldOperatorTimeout { get; init; }
    public string? HoldOperatorMessage { get; init; }

    /// <summary>Hold started by any other operator message ("client timeout"); a client message stops it.</summary>
    public TimeSpan? HoldClientTimeout { get; init; }
    public string? HoldClientMessage { get; init; }

    /// <summary>No message from either side for this long closes the dialog.</summary>
    public TimeSpan? IdleTimeout { get; init; } = DefaultIdleTimeout;
    public string? IdleCloseMessage { get; init; }

    /// <summary>
    /// A dialog with the bot (no operator, no external agent) that hears nothing from the client for this long is
    /// closed and its scenario state dropped: the client's next message starts a new dialog with the greeting.
    /// A null message closes silently.
    /// </summary>
    public TimeSpan? BotIdleTimeout { get; init; } = DefaultIdleTimeout;
    public string? BotIdleCloseMessage { get; init; }

    public HandoffResult<TimerSettings> Validate()
    {
        TimeSpan?[] spans =
        [
            OperatorResponseTimeout, ClientReminderAfter, ClientDetachAfter, ClientAutoCloseAfter,
            HoldOperatorTimeout, HoldClientTimeout, IdleTimeout, BotIdleTimeout,
        ];
        if (spans.Any(s => s is { } v && v <= TimeSpan.Zero))
        {
            return HandoffError.Validation("timers.non_positive", "Timeouts must be positive.");
        }

        if (HoldOperatorTimeout is not null && string.IsNullOrWhiteSpace(HoldOperatorMessage)
            || HoldClientTimeout is not null && string.IsNullOrWhiteSpace(HoldClientMessage))
        {
            return HandoffError.Validation("timers.hold_message", "A hold timeout needs the message to send on expiry.");
        }

        if (ClientReminderAfter is not null && string.IsNullOrWhiteSpace(ClientReminderMessage))
        {
            return HandoffError.Validation("timers.reminder_message", "A reminder needs its text.");
        }

        return this;
    }

    public bool IsHoldPattern(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || HoldPatterns.Count == 0)
        {
            return false;
        }

        var normalized = Normalize(text);
        return HoldPatterns.Any(p => string.Equals(Normalize(p), normalized, StringComparison.OrdinalIgnoreCase));
    }

    private static string Normalize(string s) => string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
