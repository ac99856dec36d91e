using BotEngine.Engine.Agents;
using BotEngine.Engine.Desk;

namespace BotEngine.Engine.Pipeline;

/// <summary>
/// The one place that acts on a commit (a turn, an agent's answer, an operator's action, a routing pass, a timer):
/// tells live pages about stored messages and changed dialogs, wakes routing and the agent call dispatcher, and
/// delivers the messages. Nothing is announced before its commit, so a page never shows what a rollback undid.
/// </summary>
public sealed class EffectsPublisher(ChangeFeed feed, AssignmentSignal assignment, AgentCallSignal agentCalls, OutboxDispatcher outbox)
{
    public async Task PublishAsync(CommittedEffects effects, CancellationToken cancellationToken)
    {
        if (effects.AgentCalled)
            agentCalls.Request();
        foreach (var row in effects.Sent)
            feed.Publish(new FeedEvent.MessageStored(row.DialogId, row.ConversationId, row.Id, "out", row.Author, row.ReplyToId, row.CreatedAt));
        foreach (var change in effects.Changed)
            feed.Publish(change);
        if (effects.NeedsRouting)
            assignment.Request();
        if (effects.Sent.Count > 0)
            await outbox.DeliverAsync(effects.Sent, cancellationToken);
    }
}
