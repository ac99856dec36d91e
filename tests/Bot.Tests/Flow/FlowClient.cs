using System.Text.Json.Nodes;
using BotEngine.Channels.DirectLine;
using BotEngine.Conversations;
using BotEngine.Engine.Pipeline;
using BotEngine.Engine.Schema;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Bot.Tests.Flow;

/// <summary>
/// One client on its own Direct Line conversation, talking to an in-process <see cref="FlowEngine"/>: messages go in through
/// <see cref="InboundGateway.AcceptAsync"/> as the Direct Line endpoint hands them over (with the channel's echo), and
/// replies are read from the conversation's activity stream, the same rows a Direct Line client would be sent.
/// </summary>
public sealed class FlowClient(FlowEngine engine, string userId)
{
    private bool _created;
    private long _watermark;
    private int _read;

    public FlowEngine Engine => engine;
    public string UserId => userId;
    public string ConversationId { get; } = "flow-" + Guid.NewGuid().ToString("N");

    /// <summary>The id the engine gave the last message this client sent.</summary>
    public string? LastSentId { get; private set; }

    /// <summary>The dialog the last message went to (a closed dialog's successor is a new one).</summary>
    public string? DialogId { get; private set; }

    /// <summary>Everything received so far, read or not.</summary>
    public List<FlowReply> Received { get; } = [];

    /// <summary>Received but not yet read by an expectation.</summary>
    public IReadOnlyList<FlowReply> Unread => Received.Skip(_read).ToList();

    /// <summary>The reply the last expectation matched.</summary>
    public FlowReply? LastReply { get; private set; }

    public Task<InboundReceipt> SendAsync(string text, JsonNode? value = null, string? clientActivityId = null) =>
        SendActivityAsync(Activity.Types.Message, text, value, clientActivityId);

    /// <summary>What a web chat sends while its user types: stored, answered by nothing.</summary>
    public Task<InboundReceipt> SendTypingAsync() => SendActivityAsync("typing", null, null, null);

    private async Task<InboundReceipt> SendActivityAsync(string type, string? text, JsonNode? value, string? clientActivityId)
    {
        if (!_created)
        {
            await engine.Services.GetRequiredService<DirectLineStore>().CreateConversationAsync(ConversationId, userId, CancellationToken.None);
            _created = true;
        }
        var activity = new Activity
        {
            Type = type,
            Text = text,
            Value = value,
            From = new ChannelAccount { Id = userId, Name = "Flow user", Role = "user" },
            Recipient = new ChannelAccount { Id = OutboundWriter.BotAccountId, Role = "bot" },
        };
        var inbound = new InboundActivity(DirectLineStore.Channel, ConversationId, userId, "Flow user", clientActivityId ?? Guid.NewGuid().ToString("N"), activity);
        var receipt = await engine.Services.GetRequiredService<InboundGateway>()
            .AcceptAsync(inbound, DirectLineStore.AddEchoAsync, CancellationToken.None)
            .WaitAsync(FlowEngine.WaitLimit);
        LastSentId = receipt.MessageId;
        DialogId = receipt.DialogId;
        return receipt;
    }

    /// <summary>Presses a button of the last matched reply: its messageBack value goes back with its title as the text.</summary>
    public Task<InboundReceipt> PressAsync(string title)
    {
        var button = (LastReply ?? throw new InvalidOperationException("No reply was matched yet, so there is no button to press.")).Button(title);
        return SendAsync(button.Text ?? button.Title ?? title, button.Value?.DeepClone());
    }

    /// <summary>The next reply not yet read, waiting for it when there is none.</summary>
    public async Task<FlowReply> NextReplyAsync(TimeSpan? nudge = null)
    {
        var reply = await engine.WaitAsync(async () =>
        {
            if (_read == Received.Count)
                await PollAsync();
            return _read < Received.Count ? Received[_read] : null;
        }, $"a reply in conversation {ConversationId} after {Received.Count} received ({Describe()})", nudge);
        _read++;
        LastReply = reply;
        return reply;
    }

    /// <summary>Skips replies until one matches; fails naming what came instead.</summary>
    public async Task<FlowReply> ReplyMatchingAsync(Func<FlowReply, bool> match, string what, TimeSpan? nudge = null)
    {
        var skipped = new List<FlowReply>();
        try
        {
            var reply = await engine.WaitAsync(async () =>
            {
                while (true)
                {
                    if (_read == Received.Count && await PollAsync() == 0)
                        return null;
                    var next = Received[_read++];
                    if (match(next))
                        return next;
                    skipped.Add(next);
                }
            }, what, nudge);
            LastReply = reply;
            return reply;
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message} Received instead: [{string.Join(" | ", skipped)}].", ex);
        }
    }

    /// <summary>Waits until the engine has run the turn of <paramref name="messageId"/> (its replies are then stored and delivered).</summary>
    public Task WaitForTurnAsync(string messageId) =>
        engine.WaitAsync(async () => await engine.Database.ReadAsync(c => c.ExecuteScalarAsync<long?>(
                "SELECT processed_at FROM messages WHERE id = @messageId", new { messageId }), CancellationToken.None) is not null,
            $"the turn of message {messageId}");

    /// <summary>Reads the client's stream past the last watermark; answers how many bot-side activities arrived.</summary>
    public async Task<int> PollAsync()
    {
        var (activities, watermark) = await engine.Services.GetRequiredService<DirectLineStore>().ReadAsync(ConversationId, _watermark, CancellationToken.None);
        _watermark = watermark;
        var before = Received.Count;
        foreach (var json in activities)
        {
            var activity = ActivityJson.Deserialize(json);
            if (activity.From?.Role != "user")
                Received.Add(new FlowReply(activity));
        }
        return Received.Count - before;
    }

    /// <summary>The dialog the last message went to, as stored now.</summary>
    public Task<StoredDialog> DialogAsync() =>
        engine.DialogAsync(DialogId ?? throw new InvalidOperationException("This client has sent nothing yet, so it has no dialog."));

    private string Describe() => Received.Count == 0 ? "none yet" : "last: " + Received[^1];
}
