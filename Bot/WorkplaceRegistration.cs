using BotEngine.Engine.Desk;
using BotEngine.Storage.Workplace;

namespace BotEngine.Bot;

/// <summary>The operator workplace's own services: presence of operators' pages, topics chosen during dialogs, preferences.</summary>
public static class WorkplaceRegistration
{
    public static IServiceCollection AddWorkplace(this IServiceCollection services)
    {
        services.AddOptions<PresenceOptions>().BindConfiguration("Presence")
            .Validate(o => o.Timeout > TimeSpan.Zero && o.CheckInterval > TimeSpan.Zero && o.HeartbeatInterval > TimeSpan.Zero && o.HeartbeatInterval < o.Timeout,
                "Presence: Timeout, CheckInterval and HeartbeatInterval must be positive, HeartbeatInterval shorter than Timeout.")
            .ValidateOnStart();
        services.AddSingleton<PresenceStore>();
        services.AddSingleton<DialogTopicStore>();
        services.AddSingleton<OperatorPreferenceStore>();
        services.AddSingleton<ScenarioStarter>();
        services.AddSingleton<OutboundDialogStarter>();
        services.AddSingleton<PresenceLoop>();
        services.AddHostedService(sp => sp.GetRequiredService<PresenceLoop>());
        return services;
    }
}
