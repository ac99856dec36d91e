using System.Collections.Concurrent;
using BotEngine.Engine.Channels;
using BotEngine.Engine.Clients;
using Telegram.Bot;

namespace BotEngine.Channels.Telegram;

/// <summary>
/// Telegram's deep links: <c>https://t.me/&lt;bot&gt;?start=&lt;token&gt;</c>. Opening one makes Telegram send
/// "/start &lt;token&gt;" from the client, which <see cref="TelegramInbound"/> redeems.
/// </summary>
public sealed class TelegramDeepLinks(TelegramClients clients) : IDeepLinkFormat
{
    private const string StartCommand = "/start ";
    private readonly ConcurrentDictionary<string, string> _usernames = new();

    public string ChannelType => TelegramChannelType.TypeName;

    public async Task<string> UrlAsync(ChannelInstance? channel, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (!_usernames.TryGetValue(channel.Id, out var username))
        {
            global::Telegram.Bot.Types.User me;
            try
            {
                me = await clients.For(channel).GetMe(cancellationToken);
            }
            catch (Exception ex) when (ex is global::Telegram.Bot.Exceptions.RequestException or HttpRequestException)
            {
                throw new ClientProfileException($"channel: Telegram did not answer for the bot of '{channel.Id}' ({ex.Message}); try again later.", "link.telegram_unreachable", 502);
            }
            username = me.Username ?? throw new ClientProfileException($"channel: Telegram did not tell the username of the bot of '{channel.Id}'.", "link.no_username", 502);
            _usernames[channel.Id] = username;
        }
        return $"https://t.me/{username}?start={token}";
    }

    /// <summary>The token of a "/start &lt;token&gt;" message, or null for any other text.</summary>
    public static string? TokenOf(string? text) =>
        text is not null && text.StartsWith(StartCommand, StringComparison.Ordinal) && text[StartCommand.Length..].Trim() is { Length: > 0 and <= 64 } token
            ? token
            : null;
}
