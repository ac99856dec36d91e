namespace BotEngine.Handoff;

/// <summary>
/// The result of a routing pass: assignments in queue order, and the dialogs still waiting in queue order.
/// Applying all assignments never puts an operator over capacity, given the snapshot was current.
/// </summary>
public sealed record RoutingDecision(IReadOnlyList<Assignment> Assignments, IReadOnlyList<QueuedDialog> Waiting);
