using System.Net.Http.Json;

namespace BotEngine.Bot.Tests.Telegram;

/// <summary>
/// Two engines on one database share a Telegram bot: one polls it, and no message is answered twice. Serial because a
/// starved machine stretches the polling lease this test depends on.
/// </summary>
[Collection(SerialTests.Name)]
public sealed class TelegramTwoNodeTests
{
    private const long Chat = 7101;

    [Fact]
    public async Task Of_two_nodes_on_one_database_only_one_polls_a_bot_and_every_message_is_answered_once()
    {
        await using var telegram = await FakeTelegramApi.StartAsync();
        var (connectionString, drop) = await TestDatabases.CreatePostgresAsync();
        try
        {
            await using var first = await EngineHost.StartOnPostgresAsync(connectionString);
            using (var admin = first.OperatorClient(await first.OperatorTokenAsync()))
                await admin.PutAsJsonAsync("/api/v1/channels/shared-bot", new { type = "telegram", settings = new { token = FakeTelegramApi.Token, apiBaseUrl = telegram.BaseUrl } });
            await using var second = await EngineHost.StartOnPostgresAsync(connectionString);
            for (var i = 0; i < 3; i++)
            {
                telegram.UserSends(Chat + i, "Как заблокировать карту?");
                await telegram.WaitForSentAsync(s => s.Method == "sendMessage" && s.ChatId == Chat + i);
            }
            await TurnWaits.AllProcessedAsync(first.Services);
            await TurnWaits.AllProcessedAsync(second.Services);
            Assert.Equal(1, telegram.MaxConcurrentPolls);
            Assert.Equal(3, telegram.Sent.Where(s => s.Method == "sendMessage").Select(s => s.ChatId).Distinct().Count());
            Assert.Equal(telegram.Sent.Count(s => s.Method == "sendMessage"), telegram.Sent.Where(s => s.Method == "sendMessage").Select(s => (s.ChatId, s.Text)).Distinct().Count());
        }
        finally
        {
            await drop();
        }
    }
}
