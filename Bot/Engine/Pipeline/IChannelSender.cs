namespace BotEngine.Engine.Pipeline;

/// <summary>Sends outbound activities to one channel. Sending the same message id twice must not duplicate it.</summary>
public interface IChannelSender
{
    string Channel { get; }

    Task SendAsync(OutboundDelivery delivery, CancellationToken cancellationToken);
}
