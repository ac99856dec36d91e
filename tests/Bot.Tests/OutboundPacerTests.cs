using BotEngine.Engine.Channels;
using Microsoft.Extensions.Time.Testing;

namespace BotEngine.Bot.Tests;

public sealed class OutboundPacerTests
{
    [Fact]
    public void A_chat_gets_a_burst_of_three_then_one_message_a_second()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-29T12:00:00Z"));
        var pacer = new OutboundPacer(time);
        var waits = Enumerable.Range(0, 5).Select(_ => Telegram(pacer, "bot", 1)).ToList();
        Assert.All(waits.Take(3), w => Assert.True(w.IsCompleted));
        Assert.False(waits[3].IsCompleted);
        // Another chat of the same bot is not held up by the first one's wait.
        Assert.True(Telegram(pacer, "bot", 2).IsCompleted);
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
        var pacer = new OutboundPacer(time);
        var waits = Enumerable.Range(0, 40).Select(chat => Telegram(pacer, "bot", chat)).ToList();
        Assert.Equal(30, waits.Count(w => w.IsCompleted));
        Assert.True(Telegram(pacer, "other-bot", 1).IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.34));
        Assert.Equal(40, waits.Count(w => w.IsCompleted));
    }

    [Fact]
    public void A_group_chat_gets_twenty_messages_a_minute()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-29T12:00:00Z"));
        var pacer = new OutboundPacer(time);
        var waits = Enumerable.Range(0, 23).Select(_ => Telegram(pacer, "bot", -100500)).ToList();
        Assert.Equal(3, waits.Count(w => w.IsCompleted));
        time.Advance(TimeSpan.FromSeconds(2.9));
        Assert.Equal(3, waits.Count(w => w.IsCompleted));
        time.Advance(TimeSpan.FromSeconds(57.1));
        Assert.Equal(23, waits.Count(w => w.IsCompleted));
        Assert.Equal(20, Enumerable.Range(0, 23).Count(i => i >= 3 && waits[i].IsCompleted));
    }

    [Fact]
    public void A_vk_community_makes_at_most_twenty_calls_a_second()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-29T12:00:00Z"));
        var pacer = new OutboundPacer(time);
        var waits = Enumerable.Range(0, 30).Select(_ => pacer.WaitAsync("vk-shop", SendRates.VkCommunity, CancellationToken.None)).ToList();
        Assert.Equal(20, waits.Count(w => w.IsCompleted));
        Assert.True(pacer.WaitAsync("vk-other", SendRates.VkCommunity, CancellationToken.None).IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.26));
        Assert.Equal(25, waits.Count(w => w.IsCompleted));
        time.Advance(TimeSpan.FromSeconds(0.25));
        Assert.Equal(30, waits.Count(w => w.IsCompleted));
    }

    /// <summary>As the Telegram sender paces a send: by the bot and by the chat (a group's id is negative).</summary>
    private static Task Telegram(OutboundPacer pacer, string bot, long chat) =>
        pacer.WaitAsync(bot, SendRates.TelegramBot, chat.ToString(System.Globalization.CultureInfo.InvariantCulture), chat < 0 ? SendRates.TelegramGroup : SendRates.TelegramChat, CancellationToken.None);
}
