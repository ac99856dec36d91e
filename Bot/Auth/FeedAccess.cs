using BotEngine.Conversations;
using BotEngine.Engine.Pipeline;
using BotEngine.Storage.Desk;

namespace BotEngine.Bot.Auth;

/// <summary>
/// Passes one subscriber of the live feed only the events about dialogs it may read: everything for supervisors,
/// otherwise the dialogs the operator holds now (followed as they are assigned and taken away). Any other dialog's
/// change may have changed the queue the operator could take from: that passes as a queue nudge naming nothing.
/// </summary>
public sealed class FeedAccess
{
    private readonly DialogAccess _access;
    private readonly HashSet<string> _held;

    private FeedAccess(DialogAccess access, HashSet<string> held)
    {
        _access = access;
        _held = held;
    }

    /// <summary>Subscribe to the feed before calling this, so no assignment falls between the read and the first event.</summary>
    public static async Task<FeedAccess> LoadAsync(DialogAccess access, DialogViewStore dialogs, CancellationToken cancellationToken)
    {
        if (access.SeesAll)
            return new FeedAccess(access, []);
        var held = await dialogs.OpenDialogIdsAsync(access.OperatorId, cancellationToken);
        return new FeedAccess(access, held.ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>A change to a dialog this subscriber does not hold: the queue may have changed (a dialog came, was taken, returned).</summary>
    public bool IsQueueNudge(FeedEvent feedEvent) => !_access.SeesAll && feedEvent is FeedEvent.DialogChanged { DialogId.Length: > 0 };

    public bool Passes(FeedEvent feedEvent)
    {
        if (_access.SeesAll)
            return true;
        switch (feedEvent)
        {
            case FeedEvent.DialogChanged { State: DialogStates.Queued or DialogStates.Closed } released:
                // The last event an operator gets about a dialog is the one that takes it away.
                return _held.Remove(released.DialogId);
            case FeedEvent.DialogChanged { State: DialogStates.Assigned } assigned when assigned.OperatorId != _access.OperatorId:
                return _held.Remove(assigned.DialogId);
            case FeedEvent.DialogChanged changed when changed.OperatorId == _access.OperatorId:
                // Assigned to this operator, or changed by their own action.
                if (changed.DialogId.Length > 0)
                    _held.Add(changed.DialogId);
                return true;
            case FeedEvent.DialogChanged changed:
                return _held.Contains(changed.DialogId);
            case FeedEvent.MessageStored message:
                return _held.Contains(message.DialogId);
            default:
                return false;
        }
    }
}
