using BotEngine.Handoff;

namespace BotEngine.Conversations;

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
