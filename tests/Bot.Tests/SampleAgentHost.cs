using BotEngine.SampleAgent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Bot.Tests;

/// <summary>The sample weather agent on a loopback port, with what tests read from it: its address, journal and outage switch.</summary>
public sealed class SampleAgentHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SampleAgentHost(WebApplication app)
    {
        _app = app;
        Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public string Url { get; }
    public AgentJournal Journal => _app.Services.GetRequiredService<AgentJournal>();
    public AgentOutage Outage => _app.Services.GetRequiredService<AgentOutage>();

    public static async Task<SampleAgentHost> StartAsync(string secret, params string[] extraArgs)
    {
        var app = WeatherAgent.Build(["--urls", "http://127.0.0.1:0", "--secret", secret, "--Logging:LogLevel:Default=Warning", .. extraArgs]);
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return new SampleAgentHost(app);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
