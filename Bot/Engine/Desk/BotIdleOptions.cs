namespace BotEngine.Engine.Desk;

/// <summary>How often each node looks for dialogs with the bot idle past their call centre's <c>botIdleTimeout</c> (section <c>BotIdle</c>).</summary>
public sealed class BotIdleOptions
{
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(30);
}
