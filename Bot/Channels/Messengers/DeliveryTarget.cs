using BotEngine.Engine.Channels;
using BotEngine.Engine.Pipeline;

namespace BotEngine.Channels.Messengers;

/// <summary>The configured instance a delivery goes through; a missing or disabled one fails the delivery, which waits and retries.</summary>
public static class DeliveryTarget
{
    public static ChannelInstance Resolve(ChannelDirectory channels, OutboundDelivery delivery, string title)
    {
        var channel = channels.Find(delivery.Channel) ?? throw new InvalidOperationException($"{title} channel '{delivery.Channel}' is not configured.");
        return channel.Enabled ? channel : throw new InvalidOperationException($"{title} channel '{delivery.Channel}' is disabled; its messages wait until it is enabled.");
    }
}
