using BotEngine.Engine.Clients;
using BotEngine.Storage.Clients;

namespace BotEngine.Bot;

/// <summary>Client profiles: stores, the profile and identity services, deep links, and the widget's signing options.</summary>
public static class ClientsRegistration
{
    public static IServiceCollection AddClientProfiles(this IServiceCollection services)
    {
        services.AddOptions<WidgetIdentityOptions>().BindConfiguration("Widget")
            .Validate(o => o.IdentityScheme is FieldSignature.Hmac or FieldSignature.Md5 && o.SignatureMaxAge > TimeSpan.Zero,
                "Widget: IdentityScheme is hmac or md5; SignatureMaxAge positive.")
            .ValidateOnStart();
        services.AddSingleton<ClientStore>();
        services.AddSingleton<ClientLinkStore>();
        services.AddSingleton<ClientProfiles>();
        services.AddSingleton<ClientIdentity>();
        services.AddSingleton<ClientLinks>();
        services.AddSingleton<WidgetAppearance>();
        services.AddSingleton<IDeepLinkFormat, WidgetDeepLinks>();
        return services;
    }
}
