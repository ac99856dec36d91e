using BotEngine.Engine;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace BotEngine.Bot;

/// <summary>The engine's root for the links it hands out when no public base URL is configured: the first address Kestrel listens on.</summary>
public sealed class ServerRoot(IServer server) : IEngineRoot
{
    public string Root() =>
        (server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? BotApp.DefaultUrl).TrimEnd('/');
}
