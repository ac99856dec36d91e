using BotEngine.Engine.Channels;
using BotEngine.Engine.Clients;

namespace BotEngine.Channels.Messengers.Facebook;

/// <summary>
/// Messenger's deep links: <c>https://m.me/&lt;page&gt;?ref=&lt;token&gt;</c>. Messenger sends the ref as a referral
/// (or with the Get Started postback of a new conversation), which <see cref="FacebookWebhook"/> redeems.
/// </summary>
public sealed class FacebookDeepLinks : IDeepLinkFormat
{
    public string ChannelType => FacebookChannelType.TypeName;

    public Task<string> UrlAsync(ChannelInstance? channel, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var page = channel.Setting("pageName")
            ?? throw new ClientProfileException($"channel: the Facebook channel '{channel.Id}' has no settings.pageName to make an m.me link with.", "link.no_page", 409);
        return Task.FromResult($"https://m.me/{page}?ref={Uri.EscapeDataString(token)}");
    }
}
