using System.Text.Json;
using System.Text.Json.Nodes;
using BotEngine.Bot.Pipeline;
using BotEngine.Bot.Schema;
using BotEngine.Bot.Storage;
using BotEngine.KnowledgeBase;

namespace BotEngine.Bot.Conversation;

public sealed record HandoffRequest(string? Line, string Reason);

public sealed record TurnPlan(IReadOnlyList<OutboundMessage> Replies, HandoffRequest? Handoff, string BotState, string Language);

/// <summary>Turns a client activity into the bot's replies: runs the knowledge base dialog runner and maps its output to activities.</summary>
public sealed class BotResponder(KnowledgeRuntime knowledge, SystemTexts texts)
{
    private static readonly JsonSerializerOptions StateJson = new(JsonSerializerDefaults.Web);

    public TurnPlan Respond(DialogRow dialog, Activity activity)
    {
        var language = LanguageDetector.Detect(activity.Text) ?? dialog.Language;
        var state = JsonSerializer.Deserialize<DialogState>(dialog.BotState, StateJson) ?? new DialogState();
        if (activity.Type != Activity.Types.Message)
            return new TurnPlan([], null, dialog.BotState, language);

        var input = new ClientInput(activity.Text, ButtonArticle(activity), language);
        var result = knowledge.Runner.Run(state, input);

        var replies = result.Messages.Select(m => new OutboundMessage(Authors.Bot, null, null, ToActivity(m))).ToList();
        HandoffRequest? handoff = null;
        switch (result.Outcome)
        {
            case TurnOutcome.Handoff h:
                handoff = new HandoffRequest(h.Line, h.Reason);
                var handoffText = knowledge.Runner.Kb.Settings.HandoffText.GetValueOrDefault(language) ?? texts.Get("handoff.queued", language);
                // An article that already said it is connecting needs no second notice.
                if (replies.Count == 0)
                    replies.Add(SystemMessage(handoffText));
                break;
            case TurnOutcome.Redirect r:
                // External agents arrive with the knowledge base runner; until one is registered the dialog goes to people.
                handoff = new HandoffRequest(null, $"redirect:{r.AgentId}");
                replies.Add(SystemMessage(texts.Get("handoff.queued", language)));
                break;
        }
        return new TurnPlan(replies, handoff, JsonSerializer.Serialize(result.State, StateJson), language);
    }

    public static OutboundMessage SystemMessage(string text) =>
        new(Authors.System, null, null, new Activity { Type = Activity.Types.Message, Text = text, TextFormat = "markdown" });

    /// <summary>Buttons come back as messageBack activities whose value names the article.</summary>
    private static string? ButtonArticle(Activity activity) =>
        activity.Value is JsonObject value && value.TryGetPropertyValue("article", out var node) && node is JsonValue v && v.TryGetValue<string>(out var id)
            ? id
            : null;

    private static Activity ToActivity(OutgoingMessage message)
    {
        var activity = new Activity { Type = Activity.Types.Message, Text = message.Text, TextFormat = "markdown" };
        if (message.Buttons.Count > 0)
        {
            activity.SuggestedActions = new SuggestedActions
            {
                Actions = message.Buttons.Select(b => b.Url is not null
                    ? new CardAction { Type = "openUrl", Title = b.Label, Value = b.Url }
                    : new CardAction { Type = "messageBack", Title = b.Label, Text = b.Label, DisplayText = b.Label, Value = new JsonObject { ["article"] = b.Article } })
                    .ToList(),
            };
        }
        if (message.Attachments.Count > 0)
        {
            activity.Attachments = message.Attachments
                .Select(a => new Attachment { ContentType = a.ContentType, ContentUrl = a.Url, Name = a.Name })
                .ToList();
        }
        return activity;
    }
}
