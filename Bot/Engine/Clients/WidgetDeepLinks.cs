using BotEngine.Engine.Channels;

namespace BotEngine.Engine.Clients;

/// <summary>
/// The web chat's deep link: the widget's page with the token as a URL parameter, which the page redeems (relative to
/// the engine's address). A site's page with the widget passes <c>?botengine_link=</c> on to it the same way.
/// </summary>
public sealed class WidgetDeepLinks : IDeepLinkFormat
{
    public string ChannelType => ChannelDirectory.DirectLine;

    public Task<string> UrlAsync(ChannelInstance? channel, string token, CancellationToken cancellationToken) =>
        Task.FromResult("/widget?link=" + Uri.EscapeDataString(token));
}
