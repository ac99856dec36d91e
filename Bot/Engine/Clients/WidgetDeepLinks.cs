using BotEngine.Engine.Channels;

namespace BotEngine.Engine.Clients;

/// <summary>The web chat's deep link: the engine's chat page with the token as a URL parameter, which the page redeems.</summary>
public sealed class WidgetDeepLinks : IDeepLinkFormat
{
    public string ChannelType => ChannelDirectory.DirectLine;

    public Task<string> UrlAsync(ChannelInstance? channel, string token, CancellationToken cancellationToken) =>
        Task.FromResult("/chat?link=" + Uri.EscapeDataString(token));
}
