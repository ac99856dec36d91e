using BotEngine.Channels.Messengers;
using BotEngine.Engine.Channels;
using BotEngine.Engine.Pipeline;
using BotEngine.Engine.Schema;
using BotEngine.Storage;
using BotEngine.Storage.Channels;
using MailKit.Net.Smtp;

namespace BotEngine.Channels.Email;

/// <summary>
/// Sends our messages as mail through the channel's SMTP server, in the client's thread. A server that is down or
/// answers 4xx fails the delivery, which the outbox retries with back-off; a permanent 5xx refusal (no such mailbox,
/// message refused) parks it at once (<see cref="ChannelRefusedException"/>), visible and replayable.
/// </summary>
public sealed class EmailSender(ChannelDirectory channels, EmailThreadStore threads, EmailComposer composer, TimeProvider time) : IChannelSender
{
    public string Channel => EmailChannelType.TypeName;

    public async Task SendAsync(OutboundDelivery delivery, CancellationToken cancellationToken)
    {
        var channel = DeliveryTarget.Resolve(channels, delivery, "E-mail");
        var activity = ActivityJson.Deserialize(delivery.ActivityJson);
        if (activity.Type != Activity.Types.Message)
            return; // mail has no typing indicator
        var thread = await threads.FindAsync(delivery.ConversationId, cancellationToken)
            ?? throw new ChannelRefusedException($"Conversation '{delivery.ConversationId}' has no e-mail thread to answer in.");
        var settings = EmailSettings.Of(channel);
        var mail = await composer.ComposeAsync(activity, delivery.MessageId, settings, thread, cancellationToken);

        using (var smtp = new SmtpClient { Timeout = 60_000 })
        {
            try
            {
                await smtp.ConnectAsync(settings.SmtpHost, settings.SmtpPort, settings.SmtpSecurity, cancellationToken);
                if (settings.SmtpUsername is { } user)
                    await smtp.AuthenticateAsync(user, settings.SmtpPassword ?? "", cancellationToken);
                await smtp.SendAsync(mail, cancellationToken);
                await smtp.DisconnectAsync(true, cancellationToken);
            }
            catch (SmtpCommandException ex) when ((int)ex.StatusCode >= 500)
            {
                throw new ChannelRefusedException($"The SMTP server refused the mail to {thread.Address}: {(int)ex.StatusCode} {ex.Message}");
            }
        }
        var messageId = EmailComposer.MessageIdOf(delivery.MessageId, settings);
        var sent = thread with { Refs = EmailInbound.Chain(thread.Refs, [messageId]) };
        await threads.RecordAsync(sent, messageId, EmailThreadStore.Outbound, time.NowMicros(), cancellationToken);
    }
}
