using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using BotEngine.Conversations;
using BotEngine.Engine.Agents;
using BotEngine.Engine.Files;
using BotEngine.Engine.Pipeline;
using BotEngine.Engine.Pipeline.Turns;
using BotEngine.Engine.Schema;
using BotEngine.Storage;
using BotEngine.Storage.Agents;
using BotEngine.Storage.Knowledge;
using BotEngine.Storage.Learning;
using BotEngine.KnowledgeBase;

namespace BotEngine.Engine.Knowledge;

/// <summary>
/// Turns what the knowledge base or an external agent decided into the bot's plan: replies as activities and the
/// handoff, close or callback the outcome asks for (the turn's steps decide, in <see cref="TurnPipeline"/>). Article
/// buttons are messageBack with value <c>{"article": id}</c>, runner/agent reply buttons <c>{"payload": value}</c>,
/// link buttons openUrl.
/// </summary>
public sealed class BotResponder(KnowledgeRuntime knowledge, SystemTexts texts, FileUrls files)
{
    public static readonly JsonSerializerOptions StateJson = new(JsonSerializerDefaults.Web);

    /// <summary>The plan of a client message's turn: the replies (greeting first), and what the outcome does to the dialog.</summary>
    public TurnPlan Plan(TurnContext turn, List<OutgoingMessage> greeting, List<OutgoingMessage> messages, TurnOutcome outcome) =>
        Plan(greeting, messages, outcome, turn.State, turn.Language);

    /// <summary>The <c>channelData</c> field naming the external agent whose words a message carries (<c>{id, name}</c>).</summary>
    public const string AgentField = "agent";

    /// <summary>
    /// An external agent's actions (or the engine's decision about its dialog), planned like a turn. A handoff meets the
    /// call centre's business hours as the bot's own does. The messages of <paramref name="speakingAgentId"/> carry its
    /// id and name, so the operator's transcript shows which agent answered.
    /// </summary>
    public TurnPlan PlanAgentActions(StoredDialog dialog, TurnResult result, string? speakingAgentId = null)
    {
        var runner = knowledge.Runner;
        var inHours = runner.HandOffInHours(result, dialog.Language, ContextOf(dialog));
        var plan = Plan([], inHours.Messages.ToList(), inHours.Outcome, inHours.State, dialog.Language);
        if (speakingAgentId is null || result.Messages.Count == 0)
            return plan;
        // The agent's words come first; the calendar's notice and the engine's own texts follow them.
        var name = runner.Kb.Agents.FirstOrDefault(a => a.Id == speakingAgentId)?.Name ?? speakingAgentId;
        return plan with { Replies = [.. plan.Replies.Select((reply, i) => i < result.Messages.Count ? SpokenBy(reply, speakingAgentId, name) : reply)] };
    }

    private static OutboundMessage SpokenBy(OutboundMessage reply, string agentId, string name)
    {
        reply.Activity.ChannelData ??= [];
        reply.Activity.ChannelData[AgentField] = new JsonObject { ["id"] = agentId, ["name"] = name };
        return reply with { AuthorId = agentId };
    }

    private TurnPlan Plan(List<OutgoingMessage> greeting, List<OutgoingMessage> messages, TurnOutcome outcome, DialogState state, string language)
    {
        var replies = greeting.Concat(messages).Select(m => new OutboundMessage(Authors.Bot, null, null, ToActivity(m, language))).ToList();
        // The engine adds its own notice only when the article or agent said nothing in this turn.
        var silent = messages.Count == 0;
        HandoffRequest? handoff = null;
        CallbackRequest? callback = null;
        var close = false;
        switch (outcome)
        {
            case TurnOutcome.Handoff h:
                handoff = new HandoffRequest(h.Line, h.Reason, h.OperatorId) { Skills = h.Skills };
                if (h.Reason == AgentGateway.FailureReason)
                    replies.Add(SystemMessage(texts.Get("agent.failed", language)));
                else if (silent && !h.OutOfHours)
                    replies.Add(SystemMessage(knowledge.Runner.Kb.Settings.HandoffText.GetValueOrDefault(language) ?? texts.Get("handoff.queued", language)));
                break;
            case TurnOutcome.Close:
                close = true;
                if (silent)
                    replies.Add(SystemMessage(texts.Get("dialog.closed", language)));
                break;
            case TurnOutcome.CallbackRequested c:
                callback = new CallbackRequest(c.Line, c.Contacts);
                if (silent)
                    replies.Add(SystemMessage(texts.Get("callback.saved", language)));
                break;
        }
        return new TurnPlan(replies, handoff, JsonSerializer.Serialize(state, StateJson), language) { Close = close, Callback = callback, Greetings = greeting.Count };
    }

    /// <summary>
    /// Writes what the plan does to the dialog besides replies and handoff (agent call, close, callback request, a miss
    /// for the labelling inbox, a client's "did you mean" pick as a training example), in the turn's transaction.
    /// </summary>
    public static async Task CommitAsync(DbConnection c, DbTransaction t, StoredDialog dialog, TurnPlan plan, long now)
    {
        if (plan.AgentCall is { } call)
            await AgentCallStore.AddAsync(c, t, dialog, call, now);
        if (plan.Callback is { } callback)
            await BotOutcomeStore.AddCallbackRequestAsync(c, t, dialog, callback.Line, JsonSerializer.Serialize(callback.Contacts), now);
        if (plan.Close)
            await BotOutcomeStore.CloseByBotAsync(c, t, dialog.Id, now);
        if (plan.Miss is { } miss)
            await BotOutcomeStore.AddMissAsync(c, t, miss.MessageId, dialog.Id, miss.Kind, now);
        if (plan.ClientPick is { } pick)
        {
            pick.CreatedAt = now;
            await TrainingExampleStore.InsertAsync(c, t, [pick]);
        }
    }

    public static DialogState ReadState(string json) =>
        JsonSerializer.Deserialize<DialogState>(string.IsNullOrEmpty(json) ? "{}" : json, StateJson) ?? new DialogState();

    public static OutboundMessage SystemMessage(string text) =>
        new(Authors.System, null, null, new Activity { Type = Activity.Types.Message, Text = text, TextFormat = "markdown" });

    public static ClientInput ToInput(Activity activity, string language, StoredDialog dialog) =>
        new(activity.Text, ValueField(activity, "article"), language) { Payload = ValueField(activity, "payload"), Context = ContextOf(dialog) };

    /// <summary>The dialog's call centre and line (its channel's binding, or where routing put it): KB access and business hours follow them.</summary>
    public static DialogContext ContextOf(StoredDialog dialog) => new() { CallCentre = dialog.CallCentre ?? Desk.CallCentres.Default, Line = dialog.Line };

    /// <summary>
    /// Buttons come back as messageBack activities whose value names the article or carries the payload. Read from
    /// the JSON as stored: an object that names a field twice (stored before the channel refused those) throws when
    /// opened as a JsonObject, so the last occurrence wins here, as in JavaScript's JSON.parse.
    /// </summary>
    public static string? ValueField(Activity activity, string name)
    {
        if (activity.Value is not JsonObject value)
            return null;
        string? found = null;
        foreach (var property in JsonSerializer.SerializeToElement(value, StateJson).EnumerateObject())
            if (property.NameEquals(name))
                found = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
        return found;
    }

    /// <summary>The <c>channelData</c> field that names the kind of value a question asks for ("phone"...), for channels with an input of their own.</summary>
    public const string ExpectsField = "expects";

    /// <summary>A KB message as a channel activity: text, buttons as suggested actions, files as absolute links.</summary>
    public Activity ToActivity(OutgoingMessage message, string language)
    {
        var activity = new Activity { Type = Activity.Types.Message, Text = message.Text, TextFormat = "markdown", Locale = language };
        if (message.Expects is { } expects)
            activity.ChannelData = new JsonObject { [ExpectsField] = JsonNamingPolicy.CamelCase.ConvertName(expects.ToString()) };
        if (message.Buttons.Count > 0)
        {
            activity.SuggestedActions = new SuggestedActions { Actions = message.Buttons.Select(ToAction).ToList() };
        }
        if (message.Attachments.Count > 0)
        {
            activity.Attachments = message.Attachments
                .Select(a => new Attachment
                {
                    ContentType = a.ContentType,
                    // A stored file's link is absolute: Direct Line clients often run on another origin.
                    ContentUrl = a.FileId is { } fileId ? files.Absolute(fileId, a.Name) : a.Url,
                    Name = a.Name,
                })
                .ToList();
        }
        return activity;
    }

    private static CardAction ToAction(AnswerButton button)
    {
        if (button.Url is not null)
            return new CardAction { Type = "openUrl", Title = button.Label, Value = button.Url };
        var value = button.Article is not null ? new JsonObject { ["article"] = button.Article } : new JsonObject { ["payload"] = button.Value };
        return new CardAction { Type = "messageBack", Title = button.Label, Text = button.Label, DisplayText = button.Label, Value = value };
    }
}
