using BotEngine.Engine.Channels;
using BotEngine.Engine.Clients;

namespace BotEngine.Channels.Messengers.Vk;

/// <summary>
/// VK's deep links: <c>https://vk.me/&lt;community&gt;?ref=&lt;token&gt;</c>. VK passes the ref with the client's first
/// message from that link, which <see cref="MessengerInbound"/> redeems before storing the message.
/// </summary>
public sealed class VkDeepLinks : IDeepLinkFormat
{
    public string ChannelType => VkChannelType.TypeName;

    public Task<string> UrlAsync(ChannelInstance? channel, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var community = channel.Setting("screenName") ?? "club" + channel.Setting("groupId");
        return Task.FromResult($"https://vk.me/{community}?ref={Uri.EscapeDataString(token)}");
    }
}
