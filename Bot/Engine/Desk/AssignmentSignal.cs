using BotEngine.Engine.Pipeline;

namespace BotEngine.Engine.Desk;

/// <summary>Wakes the routing loop; many requests before it runs coalesce into one pass.</summary>
public sealed class AssignmentSignal : WakeSignal;
