namespace BotEngine.Channels.Telegram;

/// <summary>
/// Keeps a bot inside Telegram's limits: about 30 messages a second per bot, and one a second per chat with short
/// bursts allowed (an answer of three messages goes out at once). Each send takes the first moment both its bot and
/// its chat allow, in the order sends ask (a generic cell rate algorithm per key), and waits for it.
/// </summary>
public sealed class TelegramPacer(TimeProvider time)
{
    private static readonly Rate PerBot = new(TimeSpan.FromSeconds(1.0 / 30), Burst: 30);
    private static readonly Rate PerChat = new(TimeSpan.FromSeconds(1), Burst: 3);
    private readonly Dictionary<string, DateTimeOffset> _due = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public Task WaitAsync(string channel, long chatId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        DateTimeOffset slot;
        lock (_gate)
        {
            if (_due.Count > 10_000)
            {
                foreach (var stale in _due.Where(e => e.Value < now).Select(e => e.Key).ToList())
                    _due.Remove(stale);
            }
            var chatKey = $"{channel}\n{chatId}";
            var botSlot = Earliest(channel, PerBot, now);
            slot = Max(botSlot, Earliest(chatKey, PerChat, now));
            // The bot's budget is taken at its own slot, so a chat's queued message does not hold up the bot's other chats.
            Take(channel, PerBot, botSlot);
            Take(chatKey, PerChat, slot);
        }
        var wait = slot - now;
        return wait > TimeSpan.Zero ? Task.Delay(wait, time, cancellationToken) : Task.CompletedTask;
    }

    /// <summary>The first moment the key allows a send: its theoretical time less the burst it may run ahead.</summary>
    private DateTimeOffset Earliest(string key, Rate rate, DateTimeOffset now) =>
        Max(now, _due.GetValueOrDefault(key, now) - rate.Interval * (rate.Burst - 1));

    private void Take(string key, Rate rate, DateTimeOffset slot) =>
        _due[key] = Max(_due.GetValueOrDefault(key, slot), slot) + rate.Interval;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private readonly record struct Rate(TimeSpan Interval, int Burst);
}
