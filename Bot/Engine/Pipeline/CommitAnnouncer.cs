using BotEngine.Engine.Agents;
using BotEngine.Engine.Desk;
using BotEngine.Storage;

namespace BotEngine.Engine.Pipeline;

/// <summary>
/// What follows a committed turn (the bot's or an external agent's): tell live pages about the stored replies and
/// the dialog's new state, wake routing after a handoff or the agent call dispatcher after a call, and deliver the replies.
/// </summary>
public sealed class CommitAnnouncer(ChangeFeed feed, AssignmentSignal assignment, AgentCallSignal agentCalls, OutboxDispatcher outbox)
{
    /// <param name="agentCalled">The turn stored a call of an external agent: its dispatcher makes it now.</param>
    public async Task AnnounceAsync(DialogRow dialog, IReadOnlyList<MessageRow> sent, bool handedOff, bool closed, CancellationToken cancellationToken, bool agentCalled = false)
    {
        if (agentCalled)
            agentCalls.Request();
        foreach (var row in sent)
            feed.Publish(new FeedEvent.MessageStored(dialog.Id, dialog.ConversationId, row.Id, "out", row.Author, row.ReplyToId, row.CreatedAt));
        if (handedOff)
        {
            feed.Publish(new FeedEvent.DialogChanged(dialog.Id, DialogStates.Queued, null));
            assignment.Request();
        }
        if (closed)
            feed.Publish(new FeedEvent.DialogChanged(dialog.Id, DialogStates.Closed, null));
        if (sent.Count > 0)
            await outbox.DeliverAsync(sent, cancellationToken);
    }
}
