using BotEngine.Engine.Channels;
using BotEngine.Engine.Pipeline;
using BotEngine.Storage.Channels;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Channels.BotFramework;

public static class BotFrameworkChannelRegistration
{
    /// <summary>The Bot Framework channel type: the Connector's token check and key cache, inbound mapping, outbound tokens and sender.</summary>
    public static IServiceCollection AddBotFrameworkChannel(this IServiceCollection services)
    {
        services.AddHttpClient(ConnectorKeys.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton<IChannelType, BotFrameworkChannelType>();
        services.AddSingleton<ConnectorKeys>();
        services.AddSingleton<ConnectorTokenValidator>();
        services.AddSingleton<ConnectorTokens>();
        services.AddSingleton<ConnectorClient>();
        services.AddSingleton<ConnectorFiles>();
        services.AddSingleton<ConnectorConversationStore>();
        services.AddSingleton<BotFrameworkInbound>();
        services.AddSingleton<IChannelSender, BotFrameworkSender>();
        return services;
    }

    public static IEndpointRouteBuilder MapBotFrameworkChannel(this IEndpointRouteBuilder app)
    {
        app.MapBotFrameworkMessages();
        return app;
    }
}
