using System.Collections.Concurrent;
using BotEngine.Engine.Channels;
using Telegram.Bot;

namespace BotEngine.Channels.Telegram;

/// <summary>One Bot API client per configured bot, made again when its token or API address changes.</summary>
public sealed class TelegramClients(IHttpClientFactory httpClients)
{
    public const string HttpClientName = "telegram";
    private readonly ConcurrentDictionary<string, (string Key, TelegramBotClient Client)> _clients = new(StringComparer.Ordinal);

    public ITelegramBotClient For(ChannelInstance channel)
    {
        var token = channel.Setting("token") ?? throw new InvalidOperationException($"Telegram channel '{channel.Id}' has no token.");
        var baseUrl = channel.Setting("apiBaseUrl");
        var key = $"{token}\n{baseUrl}";
        if (_clients.TryGetValue(channel.Id, out var cached) && cached.Key == key)
            return cached.Client;
        var client = new TelegramBotClient(new TelegramBotClientOptions(token, baseUrl), httpClients.CreateClient(HttpClientName));
        _clients[channel.Id] = (key, client);
        return client;
    }
}
