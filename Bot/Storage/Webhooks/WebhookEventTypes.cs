namespace BotEngine.Storage.Webhooks;

/// <summary>The event types a webhook can subscribe to, and the stored records each one is captured from.</summary>
public static class WebhookEventTypes
{
    public const string DialogCreated = "dialog.created";
    public const string DialogQueued = "dialog.queued";
    public const string DialogAssigned = "dialog.assigned";
    public const string DialogTransferred = "dialog.transferred";
    public const string DialogClosed = "dialog.closed";
    public const string MessageIn = "message.in";
    public const string MessageOut = "message.out";
    public const string DialogRated = "dialog.rated";
    public const string OperatorStatus = "operator.status";

    public static readonly IReadOnlyList<string> All =
        [DialogCreated, DialogQueued, DialogAssigned, DialogTransferred, DialogClosed, MessageIn, MessageOut, DialogRated, OperatorStatus];

    /// <summary>The <c>dialog_events</c> kinds behind each dialog event type (a dialog back in the queue is queued again).</summary>
    public static readonly IReadOnlyDictionary<string, string> DialogEventKinds = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["opened"] = DialogCreated,
        ["queued"] = DialogQueued,
        ["requeued"] = DialogQueued,
        ["assigned"] = DialogAssigned,
        ["transferred"] = DialogTransferred,
        ["closed"] = DialogClosed,
    };
}
