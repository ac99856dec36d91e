using System.Collections.Concurrent;
using BotEngine.Engine.Channels;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace BotEngine.Channels.Telegram;

/// <summary>One Bot API client per configured bot, made again when its token or API address changes.</summary>
public sealed class TelegramClients(IHttpClientFactory httpClients)
{
    public const string HttpClientName = "telegram";
    private readonly ConcurrentDictionary<string, (string Key, TelegramBotClient Client)> _clients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, User> _bots = new(StringComparer.Ordinal);

    /// <summary>The bot's own user (its id and username, which group messages address), asked of Telegram once per token.</summary>
    public async Task<User> BotAsync(ChannelInstance channel, CancellationToken cancellationToken)
    {
        var client = For(channel);
        var key = $"{channel.Id}\n{channel.Setting("token")}\n{channel.Setting("apiBaseUrl")}";
        if (_bots.TryGetValue(key, out var known))
            return known;
        var me = await client.GetMe(cancellationToken);
        _bots[key] = me;
        return me;
    }

    public ITelegramBotClient For(ChannelInstance channel)
    {
        var token = channel.Setting("token") ?? throw new InvalidOperationException($"Telegram channel '{channel.Id}' has no token.");
        var baseUrl = channel.Setting("apiBaseUrl");
        var key = $"{token}\n{baseUrl}";
        if (_clients.TryGetValue(channel.Id, out var cached) && cached.Key == key)
            return cached.Client;
        // The library's own 429 retry would wait inside the delivery; the outbox reschedules it instead (retry_after honoured there).
        var options = new TelegramBotClientOptions(token, baseUrl) { RetryThreshold = 0, RetryCount = 0 };
        var client = new TelegramBotClient(options, httpClients.CreateClient(HttpClientName));
        _clients[channel.Id] = (key, client);
        return client;
    }
}
