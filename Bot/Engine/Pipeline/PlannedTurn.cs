using BotEngine.Conversations;
using BotEngine.Engine.Knowledge;

namespace BotEngine.Engine.Pipeline;

/// <summary>
/// A turn planned before its message was stored, to commit with it (see <see cref="TurnProcessor.PlanAheadAsync"/>):
/// the plan and its prepared replies, or the error planning threw.
/// </summary>
public sealed record PlannedTurn(StoredMessage Message, StoredDialog Dialog)
{
    public TurnPlan? Plan { get; init; }

    public IReadOnlyList<StoredMessage> Replies { get; init; } = [];

    /// <summary>Planning threw: the message is stored without its turn, and this counts as the turn's first failed run.</summary>
    public Exception? Failure { get; init; }

    /// <summary>Whether this turn may commit with its message once that is stored in <paramref name="dialogId"/>: it has a plan, made for that dialog.</summary>
    public bool CommitsIn(string? dialogId) => Plan is not null && Dialog.Id == dialogId;
}
