using BotEngine.Channels.Telegram;
using Microsoft.Extensions.Time.Testing;

namespace BotEngine.Bot.Tests.Telegram;

public sealed class TelegramPacerTests
{
    [Fact]
    public void A_chat_gets_a_burst_of_three_then_one_message_a_second()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-29T12:00:00Z"));
        var pacer = new TelegramPacer(time);
        var waits = Enumerable.Range(0, 5).Select(_ => pacer.WaitAsync("bot", 1, CancellationToken.None)).ToList();
        Assert.All(waits.Take(3), w => Assert.True(w.IsCompleted));
        Assert.False(waits[3].IsCompleted);
        // Another chat of the same bot is not held up by the first one's wait.
        Assert.True(pacer.WaitAsync("bot", 2, CancellationToken.None).IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(waits[3].IsCompleted);
        Assert.False(waits[4].IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(waits[4].IsCompleted);
    }

    [Fact]
    public void A_bot_sends_at_most_thirty_messages_a_second_across_its_chats()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-29T12:00:00Z"));
        var pacer = new TelegramPacer(time);
        var waits = Enumerable.Range(0, 40).Select(chat => pacer.WaitAsync("bot", chat, CancellationToken.None)).ToList();
        Assert.Equal(30, waits.Count(w => w.IsCompleted));
        Assert.True(pacer.WaitAsync("other-bot", 1, CancellationToken.None).IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.34));
        Assert.Equal(40, waits.Count(w => w.IsCompleted));
    }
}
