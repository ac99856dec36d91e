using BotEngine.Conversations;

namespace BotEngine.Engine.Desk;

/// <summary>What a timer event changed, for the caller to announce after the commit.</summary>
/// <param name="AgentCalled">A close stored <c>dialogClosed</c> for the external agent that had the dialog.</param>
public sealed record TimerEffects(IReadOnlyList<StoredMessage> Sent, bool Requeued, bool Released, bool AgentCalled = false);
