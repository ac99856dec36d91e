using BotEngine.Engine.Channels;
using BotEngine.Engine.Pipeline;
using BotEngine.Storage.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BotEngine.Channels.Email;

public static class EmailChannelRegistration
{
    /// <summary>The e-mail channel type, its SMTP sender, the inbound mapping and the per-mailbox IMAP polling loops.</summary>
    public static IServiceCollection AddEmailChannel(this IServiceCollection services)
    {
        services.TryAddSingleton<OfferedActions>();
        services.AddSingleton<EmailThreadStore>();
        services.AddSingleton<IChannelType, EmailChannelType>();
        services.AddSingleton<EmailInbound>();
        services.AddSingleton<EmailComposer>();
        services.AddSingleton<IChannelSender, EmailSender>();
        services.AddHostedService<EmailChannelHost>();
        return services;
    }
}
