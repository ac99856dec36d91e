using BotEngine.Engine.Webhooks;
using BotEngine.Storage.Webhooks;

namespace BotEngine.Bot;

/// <summary>Outgoing webhooks: options, the store, the administrators' service, the signed sender and the delivery loop.</summary>
public static class WebhooksRegistration
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>().BindConfiguration("Webhooks")
            .Validate(o => o.IsValid(), "Webhooks: MaxAttempts 1-100; RetryBaseDelay, Timeout, PollInterval positive; RetryMaxDelay at least RetryBaseDelay; CaptureOverlap at least 0.")
            .ValidateOnStart();
        // Redirects are not followed: a webhook URL says where events go, and a redirect could send them elsewhere.
        services.AddHttpClient(WebhookSender.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddSingleton<WebhookStore>();
        services.AddSingleton<WebhookSubscriptions>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddHostedService<WebhookLoop>();
        return services;
    }
}
