namespace BotEngine.Engine.Desk;

/// <summary>Presence of operators' pages (<c>Presence:*</c>): who has closed the browser without going offline.</summary>
public sealed class PresenceOptions
{
    /// <summary>An operator whose page has not been heard from for this long goes offline, and their dialogs are returned.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often each node looks for operators past the timeout.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often an open event stream tells that its page is still there (well inside <see cref="Timeout"/>).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(20);
}
