using BotEngine.Conversations;

namespace BotEngine.Engine.Pipeline;

/// <summary>What a committed write means for the rest of the engine: every writer describes its commit with one of these.</summary>
public sealed record CommittedEffects
{
    /// <summary>Messages stored by the write: announced on the change feed, then delivered.</summary>
    public IReadOnlyList<StoredMessage> Sent { get; init; } = [];

    /// <summary>Dialogs whose state or owner changed (for live pages).</summary>
    public IReadOnlyList<FeedEvent.DialogChanged> Changed { get; init; } = [];

    /// <summary>A dialog entered the queue or an operator's capacity changed: routing runs.</summary>
    public bool NeedsRouting { get; init; }

    /// <summary>The write stored a call of an external agent: its dispatcher makes it now.</summary>
    public bool AgentCalled { get; init; }

    /// <summary>What a committed turn (or an agent's answer, or a parked turn) changed for the live pages and the engine.</summary>
    public static CommittedEffects OfTurn(StoredDialog dialog, IReadOnlyList<StoredMessage> sent, bool handedOff, bool closed, bool agentCalled = false)
    {
        var changed = new List<FeedEvent.DialogChanged>();
        if (handedOff)
            changed.Add(new FeedEvent.DialogChanged(dialog.Id, DialogStates.Queued, null));
        if (closed)
            changed.Add(new FeedEvent.DialogChanged(dialog.Id, DialogStates.Closed, null));
        return new CommittedEffects { Sent = sent, Changed = changed, NeedsRouting = handedOff, AgentCalled = agentCalled };
    }
}
