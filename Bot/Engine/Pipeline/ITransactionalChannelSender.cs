using BotEngine.Storage;

namespace BotEngine.Engine.Pipeline;

/// <summary>
/// A sender whose destination is this engine's own database (Direct Line's activity stream): the delivery and
/// the outbox mark commit in one transaction, so there is no window in which one happened without the other.
/// </summary>
public interface ITransactionalChannelSender : IChannelSender
{
    /// <summary>Adds the delivery of a new message to the batch that records it; such a message gets no outbox row.</summary>
    void AddDelivery(SqlBatch batch, OutboundDelivery delivery);
}
