using BotEngine.Storage;

namespace BotEngine.Engine.Desk;

/// <summary>What a timer event changed, for the caller to announce after the commit.</summary>
public sealed record TimerEffects(IReadOnlyList<MessageRow> Sent, bool Requeued, bool Released);
