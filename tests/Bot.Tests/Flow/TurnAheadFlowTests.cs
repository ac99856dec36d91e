using BotEngine.Engine.Pipeline;
using BotEngine.Engine.Pipeline.Turns;
using BotEngine.Storage;
using BotEngine.Storage.Messages;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Bot.Tests.Flow;

/// <summary>
/// A message to an open web chat dialog is planned from its hint and committed with its turn, so it is answered by the
/// time it is acknowledged; a message with an earlier one still waiting, or whose plan runs past the budget, takes the
/// scheduled turn, in order.
/// </summary>
public sealed class TurnAheadFlowTests
{
    [Theory]
    [InlineData(StorageKind.Sqlite, false)]
    [InlineData(StorageKind.Sqlite, true)]
    [InlineData(StorageKind.Postgres, false)]
    [InlineData(StorageKind.Postgres, true)]
    public async Task A_message_to_an_open_dialog_is_answered_when_its_acknowledgement_comes(StorageKind storage, bool forgotten)
    {
        await using var engine = await FlowEngine.StartAsync(storage);
        var client = engine.Client();
        // The first message opens the dialog, so it takes the scheduled turn.
        var first = await client.SendAsync("Здравствуйте");
        await WaitForTurnRememberedAsync(engine, client, first.MessageId);
        // The node plans from the dialog as its last turn left it, or, when it does not remember the conversation
        // (after a restart, say), from the dialog read with the hint.
        if (forgotten)
            engine.Services.GetRequiredService<KnownConversations>().Forget(client.ConversationId);

        engine.Advance(TimeSpan.FromSeconds(5));
        var second = await client.SendAsync("Как заблокировать карту?");
        var stored = await TurnOfAsync(engine, second.MessageId);
        Assert.NotNull(stored.ProcessedAt);
        Assert.True(stored.Replies > 0, "the reply is stored with the message");
        Assert.Equal(0, stored.TurnAttempts);
        // The turn's state update moved the dialog's last-message time to the message's.
        Assert.Equal(stored.CreatedAt, (await client.DialogAsync()).LastMessageAt);
        await client.ReplyMatchingAsync(r => r.ReplyToId == second.MessageId, "the reply to the second message");
    }

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task A_dialog_changed_behind_a_nodes_memory_is_answered_and_the_memory_heals(StorageKind storage)
    {
        var plans = new HeldStep("заблокировать", held: false);
        await using var engine = await FlowEngine.StartAsync(storage, builder => builder.Services.AddSingleton<ITurnStep>(plans));
        var client = engine.Client();
        var first = await client.SendAsync("Здравствуйте");
        await WaitForTurnRememberedAsync(engine, client, first.MessageId);
        // Another writer (another node, an operator) gives the dialog a new version: the node's memory of it is stale.
        await engine.Database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE dialogs SET version = version + 1 WHERE id = @DialogId", new { client.DialogId }, t), CancellationToken.None);

        engine.Advance(TimeSpan.FromSeconds(5));
        var second = await client.SendAsync("Как заблокировать карту?");
        await WaitForTurnRememberedAsync(engine, client, second.MessageId);
        var answered = await TurnOfAsync(engine, second.MessageId);
        Assert.True(answered.Replies > 0, "the second message is answered");
        Assert.Equal(0, answered.TurnAttempts);
        // Stored without its turn, the message still moved the dialog's last-message time.
        Assert.Equal(answered.CreatedAt, (await client.DialogAsync()).LastMessageAt);
        // Planned from the memory without a read, refused by the version check, and planned again by the scheduled turn.
        Assert.Equal(2, plans.Runs(second.MessageId));
        // The scheduled turn left the node's memory right again: the next message commits with its turn.
        var third = await client.SendAsync("Как перевести деньги?");
        Assert.NotNull((await TurnOfAsync(engine, third.MessageId)).ProcessedAt);
    }

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task The_dialogs_last_message_time_is_its_last_messages_not_its_turns(StorageKind storage)
    {
        FlowEngine? running = null;
        // Planning takes a minute of the engine's clock, so a turn commits later than the message it answers.
        var minute = new ClockStep("заблокировать", () => running!.Advance(TimeSpan.FromMinutes(1)));
        await using var engine = await FlowEngine.StartAsync(storage, builder => builder.Services.AddSingleton<ITurnStep>(minute));
        running = engine;
        var client = engine.Client();
        var first = await client.SendAsync("Здравствуйте");
        await WaitForTurnRememberedAsync(engine, client, first.MessageId);

        // Committed with its message.
        var ahead = await client.SendAsync("Как заблокировать карту?");
        var committed = await TurnOfAsync(engine, ahead.MessageId);
        Assert.NotNull(committed.ProcessedAt);
        Assert.True(committed.RepliedAt > committed.CreatedAt, "the reply was made a minute after its message arrived");
        Assert.Equal(committed.CreatedAt, (await client.DialogAsync()).LastMessageAt);

        // Run by the scheduler: another writer changed the dialog behind the node's memory, so the message is stored first.
        await engine.Database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE dialogs SET version = version + 1 WHERE id = @DialogId", new { client.DialogId }, t), CancellationToken.None);
        var scheduled = await client.SendAsync("Как заблокировать карту ещё раз?");
        await client.WaitForTurnAsync(scheduled.MessageId);
        var answered = await TurnOfAsync(engine, scheduled.MessageId);
        Assert.True(answered.Replies > 0, "the message is answered");
        Assert.True(answered.RepliedAt > answered.CreatedAt, "the reply was made after its message arrived");
        Assert.Equal(answered.CreatedAt, (await client.DialogAsync()).LastMessageAt);
    }

    [Fact]
    public async Task A_slow_plan_is_acknowledged_first_and_the_message_after_it_waits_its_turn()
    {
        // The plan of the slow message waits until the test lets it go, so it outlasts any budget; the budget is real
        // time, so a short one keeps the test short.
        var slow = new HeldStep("медленно", held: true);
        await using var engine = await FlowEngine.StartAsync(StorageKind.Sqlite, builder => builder.Services.AddSingleton<ITurnStep>(slow),
            "--Turns:PlanAheadBudget=00:00:01");
        var client = engine.Client();
        var first = await client.SendAsync("Здравствуйте");
        await WaitForTurnRememberedAsync(engine, client, first.MessageId);

        // Past the budget the message is stored and acknowledged without its turn, which the scheduler runs.
        var late = await client.SendAsync("медленно: как заблокировать карту?");
        Assert.Null((await TurnOfAsync(engine, late.MessageId)).ProcessedAt);
        // This one is planned at once, but an earlier message waits: it is stored without its turn and answered after.
        var next = await client.SendAsync("Как перевести деньги?");
        Assert.Null((await TurnOfAsync(engine, next.MessageId)).ProcessedAt);

        slow.Release();
        await client.WaitForTurnAsync(next.MessageId);
        var replies = (await engine.Database.ReadAsync(c => c.QueryAsync<string>(
            "SELECT reply_to_id FROM messages WHERE conversation_id = @ConversationId AND direction = 'out' AND reply_to_id IN (@Late, @Next) ORDER BY seq",
            new { client.ConversationId, Late = late.MessageId, Next = next.MessageId }), CancellationToken.None)).AsList();
        Assert.Equal([late.MessageId, next.MessageId], replies.Distinct());
        // The turn of the slow message committed once, though it was planned twice (ahead, then scheduled): no reply twice.
        Assert.Equal(2, slow.Runs(late.MessageId));
        var lateReplies = (await engine.Database.ReadAsync(c => c.QueryAsync<string>(
            "SELECT text FROM messages WHERE reply_to_id = @Late AND text IS NOT NULL", new { Late = late.MessageId }), CancellationToken.None)).AsList();
        Assert.NotEmpty(lateReplies);
        Assert.Equal(lateReplies.Distinct(), lateReplies);
    }

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task A_message_is_stored_processed_only_when_its_turn_is_next_and_the_dialog_unchanged(StorageKind storage)
    {
        await using var engine = await FlowEngine.StartAsync(storage);
        var client = engine.Client();
        var first = await client.SendAsync("Здравствуйте");
        await client.WaitForTurnAsync(first.MessageId);
        var dialog = await client.DialogAsync();

        // Stores a message as the inbound write does (its place first), checked against the dialog at the given version.
        InboundMessageRow Row(string channelMessageId, string? clientId = null) => new(Guid.NewGuid().ToString("N"), dialog.Id, client.ConversationId, dialog.Channel,
            clientId ?? dialog.ClientId, "text", "{}", "message", channelMessageId, engine.Clock.GetUtcNow().ToUnixTimeMilliseconds() * 1000);
        Task<bool?> StoreAsync(string channelMessageId, long version) => engine.Database.WriteAsync(async (c, t) =>
        {
            var row = Row(channelMessageId);
            var place = await InboundStore.TakeTurnPlaceAsync(c, t, row, 0, version) ?? throw new InvalidOperationException("The open dialog did not match.");
            var batch = SqlBatch.For(c);
            var insert = InboundStore.AddInsert(batch, row with { Seq = place.Seq }, processed: place.MayCommit);
            return (await batch.ExecuteAsync(c, t))[insert] == 0 ? (bool?)null : place.MayCommit;
        }, CancellationToken.None);
        Task MarkAllProcessedAsync() => engine.Database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE messages SET processed_at = 1 WHERE conversation_id = @ConversationId", new { client.ConversationId }, t), CancellationToken.None);

        Assert.False(await StoreAsync("old-version", dialog.Version - 1));
        // That message now waits for its turn, so the next one is not next in line either.
        Assert.False(await StoreAsync("behind-a-waiting-one", dialog.Version));
        await MarkAllProcessedAsync();
        Assert.True(await StoreAsync("next-in-line", dialog.Version));
        Assert.Null(await StoreAsync("next-in-line", dialog.Version));
        await engine.Database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE dialogs SET state = 'queued' WHERE id = @Id", new { dialog.Id }, t), CancellationToken.None);
        Assert.False(await StoreAsync("with-people", dialog.Version));
        // Another client's message takes no place in the dialog, and takes no sequence number either.
        var (seqBefore, placed) = await engine.Database.WriteAsync(async (c, t) =>
        (
            await c.ExecuteScalarAsync<long>("SELECT next_seq FROM conversations WHERE id = @ConversationId", new { client.ConversationId }, t),
            await InboundStore.TakeTurnPlaceAsync(c, t, Row("someone-else", clientId: "another-client"), 0, dialog.Version)
        ), CancellationToken.None);
        Assert.Null(placed);
        Assert.Equal(seqBefore, await engine.Database.ReadAsync(c => c.ExecuteScalarAsync<long>(
            "SELECT next_seq FROM conversations WHERE id = @ConversationId", new { client.ConversationId }), CancellationToken.None));
    }

    /// <summary>
    /// Waits for the turn, and for the node's memory of the dialog it left: the memory is written just after the commit,
    /// and a message sent in between is planned without it (so it takes the scheduled turn, which a test of the turn
    /// planned ahead would take for a failure).
    /// </summary>
    private static async Task WaitForTurnRememberedAsync(FlowEngine engine, FlowClient client, string messageId)
    {
        await client.WaitForTurnAsync(messageId);
        var known = engine.Services.GetRequiredService<KnownConversations>();
        await engine.WaitAsync(async () => known.Find(client.ConversationId)?.Dialog?.Version == (await client.DialogAsync()).Version,
            $"the node's memory of the dialog the turn of {messageId} left");
    }

    private static Task<MessageTurn> TurnOfAsync(FlowEngine engine, string messageId) =>
        engine.Database.ReadAsync(c => c.QuerySingleAsync<MessageTurn>("""
            SELECT m.processed_at, m.turn_attempts, m.created_at, (SELECT COUNT(*) FROM messages r WHERE r.reply_to_id = m.id) AS replies,
                   (SELECT MAX(r.created_at) FROM messages r WHERE r.reply_to_id = m.id) AS replied_at
            FROM messages m WHERE m.id = @messageId
            """, new { messageId }), CancellationToken.None);

    private sealed class MessageTurn
    {
        public long? ProcessedAt { get; init; }
        public long TurnAttempts { get; init; }
        public long CreatedAt { get; init; }
        public long Replies { get; init; }
        public long? RepliedAt { get; init; }
    }

    /// <summary>
    /// Counts the plans of messages with <paramref name="marker"/> and, when <paramref name="held"/>, keeps each waiting
    /// until <see cref="Release"/>; then leaves them to the engine's steps.
    /// </summary>
    private sealed class HeldStep(string marker, bool held) : ITurnStep
    {
        private readonly Lock _gate = new();
        private readonly List<string> _runs = [];
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Runs(string messageId)
        {
            lock (_gate)
                return _runs.Count(r => r == messageId);
        }

        public void Release() => _released.TrySetResult();

        public async ValueTask<bool> DecideAsync(TurnContext turn, CancellationToken cancellationToken)
        {
            if (turn.Activity.Text?.Contains(marker, StringComparison.Ordinal) != true)
                return false;
            lock (_gate)
                _runs.Add(turn.Message.Id);
            if (held)
                await _released.Task.WaitAsync(FlowEngine.WaitLimit, cancellationToken);
            return false;
        }
    }

    /// <summary>Runs <paramref name="elapse"/> (which moves the engine's clock) while planning a message with <paramref name="marker"/>, then leaves it to the engine's steps.</summary>
    private sealed class ClockStep(string marker, Action elapse) : ITurnStep
    {
        public ValueTask<bool> DecideAsync(TurnContext turn, CancellationToken cancellationToken)
        {
            if (turn.Activity.Text?.Contains(marker, StringComparison.Ordinal) == true)
                elapse();
            return ValueTask.FromResult(false);
        }
    }
}
