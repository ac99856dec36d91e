using BotEngine.Handoff;

namespace BotEngine.Bot.Storage;

/// <summary>
/// The stored names of the routing core's dialog states (<see cref="DialogState"/>, the one vocabulary): the only
/// place that maps between them. The constants serve SQL text and checks on a row's column without parsing it.
/// </summary>
public static class DialogStates
{
    public const string Bot = "bot";
    public const string Queued = "queued";
    public const string Assigned = "assigned";
    public const string Active = "active";
    public const string Detached = "detached";
    public const string Closed = "closed";

    public static string Name(DialogState state) => state switch
    {
        DialogState.Bot => Bot,
        DialogState.Queued => Queued,
        DialogState.Assigned => Assigned,
        DialogState.Active => Active,
        DialogState.Detached => Detached,
        DialogState.Closed => Closed,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Not a dialog state."),
    };

    public static DialogState Parse(string name) => name switch
    {
        Bot => DialogState.Bot,
        Queued => DialogState.Queued,
        Assigned => DialogState.Assigned,
        Active => DialogState.Active,
        Detached => DialogState.Detached,
        Closed => DialogState.Closed,
        _ => throw new FormatException($"'{name}' is not a stored dialog state."),
    };

    /// <summary>Every state's stored name, in the order the routing core declares them.</summary>
    public static readonly string[] All = [.. Enum.GetValues<DialogState>().Select(Name)];
}

public static class Authors
{
    public const string Client = "client";
    public const string Bot = "bot";
    public const string Operator = "operator";
    public const string System = "system";
}

public sealed record DialogRow
{
    public string Id { get; init; } = "";
    public string ClientId { get; init; } = "";
    public string ConversationId { get; init; } = "";
    public string Channel { get; init; } = "";
    public string State { get; init; } = "";
    public string Language { get; init; } = "";
    public string? OperatorId { get; init; }
    public string? Line { get; init; }
    public long OpenedAt { get; init; }
    public long? QueuedAt { get; init; }
    public long? AssignedAt { get; init; }
    public long? ClosedAt { get; init; }
    public string? ClosedBy { get; init; }
    public string? CloseTopic { get; init; }
    public string BotState { get; init; } = "{}";
    public long LastMessageAt { get; init; }
    public long Version { get; init; }
    public string? Handoff { get; init; }
    public string? TimerState { get; init; }
    public string? CallCentre { get; init; }
    public int Priority { get; init; }
    public long? AcceptedAt { get; init; }
    public int? ClientDissatisfied { get; init; }
}

public sealed record MessageRow
{
    public string Id { get; init; } = "";
    public string DialogId { get; init; } = "";
    public string ConversationId { get; init; } = "";
    public string Channel { get; init; } = "";
    public long Seq { get; init; }
    public string Direction { get; init; } = "";
    public string Author { get; init; } = "";
    public string? AuthorId { get; init; }
    public string? Text { get; init; }
    public string Activity { get; init; } = "";
    public string? ChannelMessageId { get; init; }
    public string? ReplyToId { get; init; }
    public long CreatedAt { get; init; }
    public long? ProcessedAt { get; init; }
    /// <summary>Runs of this message's turn that failed or were claimed as a retry (see TurnRetries).</summary>
    public int TurnAttempts { get; init; }
    /// <summary>When the turn may run again: after a failure's backoff, or when a claimed retry's lease ends.</summary>
    public long? TurnNextAt { get; init; }
    public string? TurnError { get; init; }
    /// <summary>Set when the turn gave up for good; the message is then marked processed so the conversation moves on.</summary>
    public long? ParkedAt { get; init; }
    /// <summary>Not a column: set when the channel took the message inside the transaction that stored it.</summary>
    public bool DeliveredInTransaction { get; init; }
    /// <summary>Not a column: read with the next message to process, 1 while its dialog waits for an external agent.</summary>
    public long AgentCallsOpen { get; init; }
}

public sealed record OperatorRow
{
    public string Id { get; init; } = "";
    public string Login { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public string PasswordHash { get; init; } = "";
    public string Permissions { get; init; } = "";
    public int MaxDialogs { get; init; }
    public string Status { get; init; } = "";
    public long StatusChangedAt { get; init; }
    public long CreatedAt { get; init; }
    public string? Routing { get; init; }
    public long? IdleSince { get; init; }
    public string? Position { get; init; }
    /// <summary>Signed into every token issued; raising it ends all of the operator's sessions.</summary>
    public long TokenVersion { get; init; }
    /// <summary>Set while the account is disabled: no sign-in, no valid token.</summary>
    public long? DisabledAt { get; init; }

    /// <summary>The stored permission names this build knows; names of permissions since removed are ignored.</summary>
    public IReadOnlyList<string> PermissionNames() =>
        Permissions.Split(',', StringSplitOptions.RemoveEmptyEntries).Where(p => BotEngine.Handoff.PermissionNames.TryParse(p, out _)).ToList();
}

public static class Ids
{
    /// <summary>Time-ordered ids keep B-tree inserts local and make ids sort by creation.</summary>
    public static string New() => Guid.CreateVersion7().ToString("N");
}

public static class TimeExtensions
{
    /// <summary>Unix time in microseconds: the storage format of every timestamp, identical on both engines.</summary>
    public static long NowMicros(this TimeProvider time) => ToMicros(time.GetUtcNow());

    public static long ToMicros(DateTimeOffset value) => (value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static DateTimeOffset FromMicros(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * 10);
}
