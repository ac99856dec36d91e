namespace BotEngine.Engine.Channels;

/// <summary>
/// Keeps sends inside a messenger's limits (<see cref="SendRates"/>): each send takes the first moment both its bot's
/// and its chat's rate allow, in the order sends ask (a generic cell rate algorithm per key), and waits for it. A
/// chat's queued message does not hold up the bot's other chats: the bot's budget is taken at its own slot.
/// </summary>
public sealed class OutboundPacer(TimeProvider time)
{
    private readonly Dictionary<string, DateTimeOffset> _due = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Waits for the bot's turn alone (for a messenger that limits calls per bot, not per chat).</summary>
    public Task WaitAsync(string bot, SendRate botRate, CancellationToken cancellationToken) =>
        WaitAsync(bot, botRate, null, null, cancellationToken);

    public Task WaitAsync(string bot, SendRate botRate, string? chat, SendRate? chatRate, CancellationToken cancellationToken)
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
            var botSlot = Earliest(bot, botRate, now);
            slot = botSlot;
            Take(bot, botRate, botSlot);
            if (chat is not null && chatRate is not null)
            {
                var chatKey = $"{bot}\n{chat}";
                slot = Max(botSlot, Earliest(chatKey, chatRate, now));
                Take(chatKey, chatRate, slot);
            }
        }
        var wait = slot - now;
        return wait > TimeSpan.Zero ? Task.Delay(wait, time, cancellationToken) : Task.CompletedTask;
    }

    /// <summary>The first moment the key allows a send: its theoretical time less the burst it may run ahead.</summary>
    private DateTimeOffset Earliest(string key, SendRate rate, DateTimeOffset now) =>
        Max(now, _due.GetValueOrDefault(key, now) - rate.Interval * (rate.Burst - 1));

    private void Take(string key, SendRate rate, DateTimeOffset slot) =>
        _due[key] = Max(_due.GetValueOrDefault(key, slot), slot) + rate.Interval;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
