using System.Data.Common;
using BotEngine.Engine.Pipeline;
using BotEngine.Storage;
using BotEngine.Storage.DirectLine;

namespace BotEngine.Channels.DirectLine;

/// <summary>
/// The channel's view of its storage: each Direct Line conversation (<see cref="DirectLineConversations"/>) and its
/// activity stream, the client's echoed activities and the bot's delivered ones, numbered by the conversation's
/// sequence, the watermark (<see cref="DirectLineActivities"/>).
/// </summary>
public sealed class DirectLineStore(DirectLineConversations conversations, DirectLineActivities activities)
{
    public const string Channel = DirectLineConversations.Channel;
    private const int MaxRememberedBindings = 100_000;

    // A conversation's user never changes once bound, so a binding seen once is known for good: each POST then
    // skips the lookup. Cleared when full rather than evicted one by one; a miss only costs the read.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _bound = new(StringComparer.Ordinal);

    public Task CreateConversationAsync(string conversationId, string? userId, CancellationToken cancellationToken) =>
        conversations.CreateAsync(conversationId, userId, cancellationToken);

    public Task<bool> ExistsAsync(string conversationId, CancellationToken cancellationToken) =>
        conversations.ExistsAsync(conversationId, cancellationToken);

    /// <summary>Whether the conversation exists, and the user it is bound to (null for one made before conversations were bound).</summary>
    public async Task<(bool Exists, string? UserId)> FindAsync(string conversationId, CancellationToken cancellationToken)
    {
        if (_bound.TryGetValue(conversationId, out var known))
            return (true, known);
        var row = await conversations.FindAsync(conversationId, cancellationToken);
        if (row.AccountId is { } user)
            Remember(conversationId, user);
        return (row.Id is not null, row.AccountId);
    }

    private void Remember(string conversationId, string userId)
    {
        if (_bound.Count >= MaxRememberedBindings)
            _bound.Clear();
        _bound[conversationId] = userId;
    }

    /// <summary>Binds a conversation that has no user yet to <paramref name="userId"/>; answers the user it is bound to, this one or an earlier one.</summary>
    public Task<string> BindUserAsync(string conversationId, string userId, CancellationToken cancellationToken) =>
        conversations.BindUserAsync(conversationId, userId, cancellationToken);

    public async Task<(IReadOnlyList<string> Activities, long Watermark)> ReadAsync(string conversationId, long after, CancellationToken cancellationToken)
    {
        var rows = await activities.ReadAfterAsync(conversationId, after, cancellationToken);
        return (rows.Select(r => r.Activity).ToList(), rows.Count > 0 ? rows[^1].Seq : after);
    }

    /// <summary>The echo of the client's own activity, added to the batch that stores it.</summary>
    public static Task AddEchoAsync(DbConnection c, DbTransaction t, SqlBatch batch, StoredActivity stored, long seq)
    {
        DirectLineActivities.AddAppend(batch, stored.Activity.Conversation!.Id!, stored.Activity.Id!, stored.Json, seq);
        return Task.CompletedTask;
    }

    public static async Task AppendDeliveryAsync(DbConnection c, DbTransaction t, OutboundDelivery delivery)
    {
        // A retried delivery finds its activity already in the stream and adds nothing.
        if (await DirectLineActivities.ContainsAsync(c, t, delivery.ConversationId, delivery.MessageId))
            return;
        var batch = SqlBatch.For(c);
        AddDelivery(batch, delivery);
        await batch.ExecuteAsync(c, t);
    }

    /// <summary>Appends the activity under the sequence number taken for it, or else takes the conversation's next one.</summary>
    public static void AddDelivery(SqlBatch batch, OutboundDelivery delivery) =>
        DirectLineActivities.AddAppend(batch, delivery.ConversationId, delivery.MessageId, delivery.ActivityJson, delivery.StreamSeq);
}
