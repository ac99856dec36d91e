namespace BotEngine.Handoff;

/// <summary>Widen a dialog's line after it has waited this long; a null line means "any line".</summary>
public sealed record OverflowRule(TimeSpan After, string? Line);
