namespace BotEngine.Engine.Channels;

/// <summary>The send limits the messengers document, in one place; <see cref="OutboundPacer"/> keeps to them.</summary>
public static class SendRates
{
    /// <summary>Telegram: about 30 messages a second per bot.</summary>
    public static readonly SendRate TelegramBot = SendRate.PerSecond(30, burst: 30);

    /// <summary>Telegram: one message a second per chat, short bursts allowed (an answer of three messages goes at once).</summary>
    public static readonly SendRate TelegramChat = SendRate.PerSecond(1, burst: 3);

    /// <summary>Telegram: at most 20 messages a minute in a group.</summary>
    public static readonly SendRate TelegramGroup = new(TimeSpan.FromSeconds(3), Burst: 3);

    /// <summary>VK: 20 API calls a second with a community's token.</summary>
    public static readonly SendRate VkCommunity = SendRate.PerSecond(20, burst: 20);

    /// <summary>Viber: 500 calls per 10 seconds (documented for broadcasts; send_message publishes no lower figure).</summary>
    public static readonly SendRate ViberBot = SendRate.PerSecond(50, burst: 50);

    /// <summary>Facebook Messenger: 300 Send API calls a second per page for text and links.</summary>
    public static readonly SendRate FacebookPage = SendRate.PerSecond(300, burst: 300);
}
