using System.Data.Common;
using BotEngine.Conversations;
using BotEngine.Engine.Schema;
using BotEngine.Storage;
using BotEngine.Storage.Messages;

namespace BotEngine.Engine.Pipeline;

/// <summary>
/// Records an outbound activity and its outbox row in the caller's transaction: the reply exists durably
/// exactly when the state change that produced it does.
/// </summary>
public sealed class OutboundWriter(TimeProvider time, IEnumerable<IChannelSender> senders)
{
    private readonly Dictionary<string, ITransactionalChannelSender> _local = senders.OfType<ITransactionalChannelSender>()
        .ToDictionary(s => s.Channel, StringComparer.Ordinal);

    public const string BotAccountId = "botengine";

    /// <summary>True when a message to <paramref name="channel"/> is delivered inside the transaction that stores it (no network call after the commit).</summary>
    public bool DeliversInTransaction(string channel) => _local.ContainsKey(channel);

    /// <summary>Builds the stored form of a message outside any transaction (serialising is the expensive part).</summary>
    public StoredMessage Prepare(StoredDialog dialog, OutboundMessage message, string? replyToId)
    {
        var now = time.NowMicros();
        var activity = message.Activity;
        activity.Id = Ids.New();
        activity.Type ??= Activity.Types.Message;
        activity.Timestamp = TimeExtensions.FromMicros(now);
        activity.ChannelId = dialog.Channel;
        activity.Conversation = new ConversationAccount { Id = dialog.ConversationId };
        activity.From = new ChannelAccount { Id = BotAccountId, Name = message.AuthorName ?? "BotEngine", Role = "bot" };
        activity.ReplyToId = replyToId;
        activity.ChannelData ??= [];
        activity.ChannelData["author"] = message.Author;
        return new StoredMessage
        {
            Id = activity.Id,
            DialogId = dialog.Id,
            ConversationId = dialog.ConversationId,
            Channel = dialog.Channel,
            Direction = "out",
            Author = message.Author,
            AuthorId = message.AuthorId,
            Text = activity.Text,
            Activity = ActivityJson.Serialize(activity),
            ReplyToId = replyToId,
            CreatedAt = now,
        };
    }

    public Task<StoredMessage> AppendAsync(DbConnection c, DbTransaction t, StoredDialog dialog, OutboundMessage message, string? replyToId) =>
        AppendAsync(c, t, Prepare(dialog, message, replyToId));

    public async Task<StoredMessage> AppendAsync(DbConnection c, DbTransaction t, StoredMessage row)
    {
        var batch = SqlBatch.For(c);
        row = Append(batch, row);
        await batch.ExecuteAsync(c, t);
        return row;
    }

    /// <summary>
    /// Adds the message and its delivery (in the batch for a local channel, else an outbox row) to a batch; a local
    /// delivery goes under <paramref name="streamSeq"/> when the write took that position for it already.
    /// </summary>
    public StoredMessage Append(SqlBatch batch, StoredMessage row, long? streamSeq = null)
    {
        OutboundStatements.AddMessage(batch, row);
        // A channel whose destination is this database is delivered in the same transaction; others go through the outbox.
        if (_local.TryGetValue(row.Channel, out var local))
        {
            local.AddDelivery(batch, new OutboundDelivery(row.Id, row.ConversationId, row.Channel, row.Activity) { StreamSeq = streamSeq });
            return row with { DeliveredInTransaction = true };
        }
        OutboundStatements.AddOutboxEntry(batch, row);
        return row;
    }
}
