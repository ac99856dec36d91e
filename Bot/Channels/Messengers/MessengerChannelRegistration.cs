using BotEngine.Channels.Messengers.CustomApi;
using BotEngine.Channels.Messengers.Facebook;
using BotEngine.Channels.Messengers.Viber;
using BotEngine.Channels.Messengers.Vk;
using BotEngine.Engine.Channels;
using BotEngine.Engine.Clients;
using BotEngine.Engine.Pipeline;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BotEngine.Channels.Messengers;

public static class MessengerChannelRegistration
{
    /// <summary>The Viber, VK, Facebook Messenger and custom API channel types, their senders, deep links and the shared inbound mapping.</summary>
    public static IServiceCollection AddMessengerChannels(this IServiceCollection services)
    {
        services.AddHttpClient(MessengerInbound.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton<OfferedActions>();
        services.AddSingleton<MessengerInbound>();
        services.AddSingleton<SentParts>();
        services.TryAddSingleton<OutboundPacer>();

        services.AddSingleton<IChannelType, ViberChannelType>();
        services.AddSingleton<ViberApi>();
        services.AddSingleton<IChannelSender, ViberSender>();
        services.AddSingleton<IDeepLinkFormat, ViberDeepLinks>();
        services.AddHostedService<ViberWebhookRegistrar>();

        services.AddSingleton<IChannelType, VkChannelType>();
        services.AddSingleton<VkApi>();
        services.AddSingleton<IChannelSender, VkSender>();
        services.AddSingleton<IDeepLinkFormat, VkDeepLinks>();

        services.AddSingleton<IChannelType, FacebookChannelType>();
        services.AddSingleton<FacebookApi>();
        services.AddSingleton<IChannelSender, FacebookSender>();
        services.AddSingleton<IDeepLinkFormat, FacebookDeepLinks>();

        services.AddSingleton<IChannelType, ApiChannelType>();
        services.AddSingleton<IChannelSender, ApiChannelSender>();
        return services;
    }

    public static IEndpointRouteBuilder MapMessengerWebhooks(this IEndpointRouteBuilder app)
    {
        app.MapViberWebhook();
        app.MapVkCallback();
        app.MapFacebookWebhook();
        app.MapApiChannel();
        return app;
    }
}
