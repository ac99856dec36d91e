using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BotEngine.Conversations;
using BotEngine.Engine.Pipeline;
using BotEngine.Engine.Schema;
using BotEngine.Storage;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Bot.Tests;

/// <summary>A channel that fails at first: the outbox retries with backoff until it gets through, and parks what never does.</summary>
public sealed class OutboxRetryTests
{
    [Fact]
    public async Task A_failed_delivery_is_retried_until_it_succeeds_and_then_not_sent_again()
    {
        var flaky = new FlakySender("flaky", failures: 2);
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite,
            b => b.Services.AddSingleton<IChannelSender>(flaky), "--Outbox:SweepInterval=00:00:00.200");
        var message = await AppendOutboundAsync(engine, "flaky");
        var id = message.Id;

        await engine.Services.GetRequiredService<OutboxDispatcher>().DeliverAsync([message], CancellationToken.None);
        Assert.Equal(1, flaky.Attempts);
        // Backoff is 2^attempts seconds: the sweep gets it through on the third attempt.
        // The channel takes it before the outbox row says so: wait for the row.
        await Eventually.WaitAsync(() => Task.FromResult<bool?>(flaky.Delivered.Contains(id) ? true : null), TimeSpan.FromSeconds(20));
        var row = await Eventually.WaitAsync(async () => await ReadOutboxAsync(engine, id) is { DeliveredAt: not null } delivered ? delivered : null, TimeSpan.FromSeconds(20));
        Assert.Equal(3, row.Attempts);
        // Sweeps after the delivery find nothing due and send nothing again.
        var dispatcher = engine.Services.GetRequiredService<OutboxDispatcher>();
        Assert.Equal(0, await dispatcher.SweepAsync(CancellationToken.None));
        Assert.Equal(0, await dispatcher.SweepAsync(CancellationToken.None));
        Assert.Equal(3, flaky.Attempts);
    }

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task A_delivery_that_keeps_failing_is_parked_and_can_be_replayed_once_the_channel_works(StorageKind storage)
    {
        var broken = new FlakySender("broken", failures: 1);
        await using var engine = await EngineHost.StartAsync(storage,
            b => b.Services.AddSingleton<IChannelSender>(broken), "--Outbox:MaxAttempts=1");
        var message = await AppendOutboundAsync(engine, "broken");
        var id = message.Id;
        await engine.Services.GetRequiredService<OutboxDispatcher>().DeliverAsync([message], CancellationToken.None);
        var row = await ReadOutboxAsync(engine, id);
        Assert.NotNull(row.FailedAt);
        Assert.Contains("unreachable", row.LastError);

        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        var parked = (await admin.GetFromJsonAsync<JsonArray>("/api/v1/parked-deliveries"))!;
        Assert.Equal("broken", Assert.Single(parked)!["channel"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/api/v1/parked-deliveries/nothing-like-it/replay", null)).StatusCode);
        // The channel works now (its one failure is spent): the replay delivers it, once.
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync($"/api/v1/parked-deliveries/{id}/replay", null)).StatusCode);
        Assert.Contains(id, broken.Delivered);
        Assert.NotNull((await ReadOutboxAsync(engine, id)).DeliveredAt);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"/api/v1/parked-deliveries/{id}/replay", null)).StatusCode);
        Assert.Empty((await admin.GetFromJsonAsync<JsonArray>("/api/v1/parked-deliveries"))!);
        Assert.Equal(2, broken.Attempts);
    }

    private static async Task<StoredMessage> AppendOutboundAsync(EngineHost engine, string channel)
    {
        var database = engine.Services.GetRequiredService<Database>();
        var writer = engine.Services.GetRequiredService<OutboundWriter>();
        return await database.WriteAsync(async (c, t) =>
        {
            var dialog = new StoredDialog { Id = Ids.New(), ClientId = "c1", ConversationId = "conv-" + channel, Channel = channel, State = DialogStates.Bot, Language = "ru" };
            await c.ExecuteAsync("INSERT INTO conversations (id, channel, created_at) VALUES (@ConversationId, @Channel, 0)", dialog, t);
            await c.ExecuteAsync("""
                INSERT INTO dialogs (id, client_id, conversation_id, channel, state, language, opened_at, bot_state, last_message_at)
                VALUES (@Id, @ClientId, @ConversationId, @Channel, @State, @Language, 0, '{}', 0)
                """, dialog, t);
            var message = new OutboundMessage(Authors.Bot, null, null, new Activity { Type = Activity.Types.Message, Text = "hello" });
            return await writer.AppendAsync(c, t, dialog, message, null);
        }, CancellationToken.None);
    }

    private static Task<OutboxState> ReadOutboxAsync(EngineHost engine, string id) =>
        engine.Services.GetRequiredService<Database>().ReadAsync(c => c.QuerySingleAsync<OutboxState>(
            "SELECT attempts, delivered_at, failed_at, last_error FROM outbox WHERE id = @id", new { id }), CancellationToken.None);

    private sealed class OutboxState
    {
        public long Attempts { get; set; }
        public long? DeliveredAt { get; set; }
        public long? FailedAt { get; set; }
        public string? LastError { get; set; }
    }

    private sealed class FlakySender(string channel, int failures) : IChannelSender
    {
        private int _attempts;

        public string Channel => channel;
        public int Attempts => Volatile.Read(ref _attempts);
        public HashSet<string> Delivered { get; } = [];

        public Task SendAsync(OutboundDelivery delivery, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _attempts) <= failures)
                throw new HttpRequestException("channel unreachable");
            lock (Delivered)
                Delivered.Add(delivery.MessageId);
            return Task.CompletedTask;
        }
    }
}
