namespace BotEngine.Handoff;

/// <summary>The new dialog state to store (with its version) and the event to record.</summary>
public sealed record DialogTransition(Dialog Dialog, DialogEvent Event);
