using BotEngine.Engine.Channels;

namespace BotEngine.Engine.Clients;

/// <summary>How one channel type turns a link token into a link the client opens (Telegram's t.me/bot?start=...).</summary>
public interface IDeepLinkFormat
{
    string ChannelType { get; }

    Task<string> UrlAsync(ChannelInstance? channel, string token, CancellationToken cancellationToken);
}
