namespace BotEngine.Channels.Telegram;

/// <summary>
/// Keeps a bot inside Telegram's limits: about 30 messages a second per bot and one a second per chat. Each send
/// takes the next free slot of its bot and its chat, in the order sends ask, and waits for it.
/// </summary>
public sealed class TelegramPacer(TimeProvider time)
{
    private static readonly TimeSpan PerBot = TimeSpan.FromSeconds(1.0 / 30);
    private static readonly TimeSpan PerChat = TimeSpan.FromSeconds(1);
    private readonly Dictionary<string, DateTimeOffset> _next = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public Task WaitAsync(string channel, long chatId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        DateTimeOffset slot;
        lock (_gate)
        {
            if (_next.Count > 10_000)
            {
                foreach (var stale in _next.Where(e => e.Value < now).Select(e => e.Key).ToList())
                    _next.Remove(stale);
            }
            var botKey = channel;
            var chatKey = $"{channel}\n{chatId}";
            slot = Max(now, Max(_next.GetValueOrDefault(botKey), _next.GetValueOrDefault(chatKey)));
            _next[botKey] = slot + PerBot;
            _next[chatKey] = slot + PerChat;
        }
        var wait = slot - now;
        return wait > TimeSpan.Zero ? Task.Delay(wait, time, cancellationToken) : Task.CompletedTask;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
