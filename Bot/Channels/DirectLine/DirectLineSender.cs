using BotEngine.Engine.Pipeline;
using BotEngine.Storage;

namespace BotEngine.Channels.DirectLine;

public sealed class DirectLineSender(Database database) : ITransactionalChannelSender
{
    public string Channel => DirectLineStore.Channel;

    public void AddDelivery(SqlBatch batch, OutboundDelivery delivery) => DirectLineStore.AddDelivery(batch, delivery);

    public Task SendAsync(OutboundDelivery delivery, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => DirectLineStore.AppendDeliveryAsync(c, t, delivery), cancellationToken);
}
