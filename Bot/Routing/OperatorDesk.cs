using BotEngine.Bot.Conversation;
using BotEngine.Bot.Pipeline;
using BotEngine.Bot.Schema;
using BotEngine.Bot.Storage;
using Dapper;

namespace BotEngine.Bot.Routing;

public static class OperatorStatuses
{
    public const string Online = "online";
    public const string Offline = "offline";

    public static readonly string[] All = [Online, Offline];
}

/// <summary>A request the caller got wrong; the API maps it to a 4xx with this message.</summary>
public sealed class DeskException(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}

/// <summary>What an operator does to dialogs: go online or offline, reply, close.</summary>
public sealed class OperatorDesk(
    Database database,
    OutboundWriter writer,
    OutboxDispatcher outbox,
    AssignmentSignal assignment,
    SystemTexts texts,
    ChangeFeed feed,
    TimeProvider time)
{
    public async Task SetStatusAsync(string operatorId, string status, CancellationToken cancellationToken)
    {
        if (!OperatorStatuses.All.Contains(status))
            throw new DeskException(400, $"Unknown status '{status}'; expected one of: {string.Join(", ", OperatorStatuses.All)}.");
        await database.WriteAsync(async (c, t) =>
        {
            var now = time.NowMicros();
            var rows = await c.ExecuteAsync(
                "UPDATE operators SET status = @status, status_changed_at = @now WHERE id = @operatorId AND status <> @status",
                new { operatorId, status, now }, t);
            if (rows > 0)
                await c.ExecuteAsync("INSERT INTO operator_status_log (operator_id, status, at) VALUES (@operatorId, @status, @now)", new { operatorId, status, now }, t);
        }, cancellationToken);
        if (status == OperatorStatuses.Online)
            assignment.Request();
    }

    public async Task<MessageRow> ReplyAsync(string operatorId, string dialogId, string text, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new DeskException(400, "The reply text is empty.");
        var message = await database.WriteAsync(async (c, t) =>
        {
            var (dialog, op) = await LoadOwnedAsync(c, t, operatorId, dialogId);
            var activity = new Activity { Type = Activity.Types.Message, Text = text, TextFormat = "markdown" };
            var row = await writer.AppendAsync(c, t, dialog, new OutboundMessage(Authors.Operator, operatorId, op.DisplayName, activity), null);
            await c.ExecuteAsync("UPDATE dialogs SET last_message_at = @CreatedAt WHERE id = @DialogId", row, t);
            return row;
        }, cancellationToken);
        feed.Publish(new FeedEvent.MessageStored(dialogId, message.ConversationId, message.Id, "out", Authors.Operator, null, message.CreatedAt));
        await outbox.DeliverAsync([message], cancellationToken);
        return message;
    }

    public async Task CloseAsync(string operatorId, string dialogId, string? topic, CancellationToken cancellationToken)
    {
        var notice = await database.WriteAsync(async (c, t) =>
        {
            var (dialog, _) = await LoadOwnedAsync(c, t, operatorId, dialogId);
            var now = time.NowMicros();
            await c.ExecuteAsync("""
                UPDATE dialogs SET state = 'closed', closed_at = @now, closed_by = 'operator', close_topic = @topic, version = version + 1
                WHERE id = @dialogId
                """, new { now, topic, dialogId }, t);
            await c.ExecuteAsync("INSERT INTO dialog_events (dialog_id, kind, operator_id, at, data) VALUES (@dialogId, 'closed', @operatorId, @now, @topic)",
                new { dialogId, operatorId, now, topic }, t);
            return await writer.AppendAsync(c, t, dialog, BotResponder.SystemMessage(texts.Get("dialog.closed", dialog.Language)), null);
        }, cancellationToken);
        feed.Publish(new FeedEvent.DialogChanged(dialogId, DialogStates.Closed, operatorId));
        await outbox.DeliverAsync([notice], cancellationToken);
        assignment.Request();
    }

    private static async Task<(DialogRow Dialog, OperatorRow Operator)> LoadOwnedAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction t, string operatorId, string dialogId)
    {
        var dialog = await c.QuerySingleOrDefaultAsync<DialogRow>("SELECT * FROM dialogs WHERE id = @dialogId", new { dialogId }, t)
            ?? throw new DeskException(404, $"Dialog '{dialogId}' does not exist.");
        if (dialog.State != DialogStates.Assigned || dialog.OperatorId != operatorId)
            throw new DeskException(409, $"Dialog '{dialogId}' is {dialog.State} and not assigned to you.");
        var op = await c.QuerySingleAsync<OperatorRow>("SELECT * FROM operators WHERE id = @operatorId", new { operatorId }, t);
        return (dialog, op);
    }
}
