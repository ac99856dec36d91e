using BotEngine.Engine.Channels;
using BotEngine.Engine.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BotEngine.Channels.Telegram;

public static class TelegramChannelRegistration
{
    /// <summary>The Telegram channel type, its sender, inbound mapping and per-bot loops.</summary>
    public static IServiceCollection AddTelegramChannel(this IServiceCollection services)
    {
        // Long polls wait up to 25 s for an update: the client's timeout leaves room for that.
        services.AddHttpClient(TelegramClients.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(60));
        services.AddSingleton<IChannelType, TelegramChannelType>();
        services.AddSingleton<TelegramClients>();
        services.TryAddSingleton<OutboundPacer>();
        services.AddSingleton<TelegramInbound>();
        services.AddSingleton<BotEngine.Engine.Clients.IDeepLinkFormat, TelegramDeepLinks>();
        services.AddSingleton<IChannelSender, TelegramSender>();
        services.AddHostedService<TelegramChannelHost>();
        return services;
    }
}
