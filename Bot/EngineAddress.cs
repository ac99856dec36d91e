using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace BotEngine.Bot;

/// <summary>The engine's own root URL for links it hands out (file links, agent callbacks).</summary>
public static class EngineAddress
{
    /// <summary>The configured public URL, else the request's origin, else the first listening address, else the default.</summary>
    public static string Root(string? configured, IServer server, HttpRequest? request = null) =>
        (configured
            ?? (request is null ? null : $"{request.Scheme}://{request.Host}{request.PathBase}")
            ?? server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? BotApp.DefaultUrl).TrimEnd('/');
}
