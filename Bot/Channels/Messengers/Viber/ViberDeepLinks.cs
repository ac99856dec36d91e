using System.Collections.Concurrent;
using BotEngine.Engine.Channels;
using BotEngine.Engine.Clients;

namespace BotEngine.Channels.Messengers.Viber;

/// <summary>
/// Viber's deep links: <c>viber://pa?chatURI=&lt;uri&gt;&amp;context=&lt;token&gt;</c>. Opening one makes Viber send a
/// conversation_started callback with the token as its context, which <see cref="ViberWebhook"/> redeems.
/// </summary>
public sealed class ViberDeepLinks(ViberApi api) : IDeepLinkFormat
{
    private readonly ConcurrentDictionary<string, string> _uris = new(StringComparer.Ordinal);

    public string ChannelType => ViberChannelType.TypeName;

    public async Task<string> UrlAsync(ChannelInstance? channel, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var uri = channel.Setting("uri");
        if (uri is null && !_uris.TryGetValue(channel.Id, out uri))
        {
            try
            {
                var account = await api.CallAsync(channel, "get_account_info", [], cancellationToken);
                uri = account["uri"]?.GetValue<string>();
            }
            catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or BotEngine.Engine.Pipeline.ChannelRetryLaterException or BotEngine.Engine.Pipeline.ChannelRefusedException)
            {
                throw new ClientProfileException($"channel: Viber did not answer for the bot of '{channel.Id}' ({ex.Message}); try again later.", "link.viber_unreachable", 502);
            }
            if (string.IsNullOrEmpty(uri))
                throw new ClientProfileException($"channel: Viber did not tell the chat URI of the bot of '{channel.Id}'; set settings.uri.", "link.no_uri", 502);
            _uris[channel.Id] = uri;
        }
        return $"viber://pa?chatURI={Uri.EscapeDataString(uri)}&context={Uri.EscapeDataString(token)}";
    }
}
