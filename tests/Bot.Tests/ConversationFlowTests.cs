namespace BotEngine.Bot.Tests;

/// <summary>
/// Direct Line's side of a conversation over a real socket. The bot's and the operators' behaviour is tested in process
/// (Flow/BotFlowTests, Flow/RoutingFlowTests); this keeps what needs the protocol: clientActivityID makes a retried post idempotent.
/// </summary>
public sealed class ConversationFlowTests
{
    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task A_repeated_client_activity_is_stored_and_answered_once(StorageKind storage)
    {
        await using var engine = await EngineHost.StartAsync(storage);
        using var chat = await DirectLineClient.StartAsync(engine.BaseUri);
        var first = await chat.SendAsync("Как заблокировать карту?", clientActivityId: "retry-1");
        var second = await chat.SendAsync("Как заблокировать карту?", clientActivityId: "retry-1");
        Assert.Equal(first, second);
        // Repeats racing each other are stored once too.
        var racing = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => chat.SendAsync("Потерял карту", clientActivityId: "retry-2")));
        Assert.Single(racing.Distinct());
        await chat.WaitForBotAsync(a => a["replyToId"]?.GetValue<string>() == first);
        // Both stored messages have had their turns: every reply they will get is in the stream now.
        await TurnWaits.AllProcessedAsync(engine.Services);
        await chat.PollAsync();
        Assert.Equal(2, chat.Received.Count(a => a["from"]!["role"]!.GetValue<string>() == "user"));
        Assert.Single(chat.Received, a => a["replyToId"]?.GetValue<string>() == first);
        var echo = chat.Received.First(a => a["from"]!["role"]!.GetValue<string>() == "user");
        Assert.Equal("retry-1", echo["channelData"]!["clientActivityID"]!.GetValue<string>());
    }
}
