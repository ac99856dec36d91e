namespace BotEngine.KnowledgeBase;

/// <summary>Builds turn events from the dialog and applies an agent's actions to it, so the engine only moves bytes.</summary>
public static class AgentActions
{
    /// <summary>
    /// Agent actions as a turn: messages to send, and the outcome. done/handoff/close end the agent's ownership
    /// (<see cref="DialogState.ExternalAgentId"/> cleared); done merges the agent's slot values; handoff remembers the
    /// agent, so an operator can give the dialog back to it. Actions after one
    /// of those are ignored. Without them the agent keeps the dialog (outcome Continue, ExternalAgentId kept).
    /// </summary>
    public static TurnResult Apply(AgentResponse response, DialogState state)
    {
        var messages = new List<OutgoingMessage>();
        TurnOutcome outcome = new TurnOutcome.Continue();
        foreach (var action in response.Actions)
        {
            switch (action.Type)
            {
                case AgentActionTypes.Message:
                    messages.Add(new OutgoingMessage(
                        action.Text ?? "",
                        (action.Buttons ?? []).Select(b => new AnswerButton { Label = b.Label, Url = b.Url, Value = b.Value }).ToList(),
                        (action.Attachments ?? []).Select(f => new AnswerAttachment { Name = f.Name, ContentType = f.ContentType, Url = f.Url }).ToList(),
                        null));
                    continue;
                case AgentActionTypes.Done:
                    foreach (var (slot, value) in action.Slots ?? [])
                        state.Slots[slot] = value;
                    break;
                case AgentActionTypes.Handoff:
                    outcome = new TurnOutcome.Handoff(action.Line, "external_agent") { OperatorId = action.OperatorId, Skills = action.Skills ?? [] };
                    state.ReturnToAgentId = state.ExternalAgentId;
                    break;
                case AgentActionTypes.Close:
                    outcome = new TurnOutcome.Close();
                    break;
                default:
                    continue; // AgentJson.TryParseResponse refuses unknown types; nothing to do here
            }
            state.ExternalAgentId = null;
            break;
        }
        return new TurnResult(messages, outcome, state);
    }

    /// <summary>
    /// The bot's memory when an operator gives the dialog back to the bot: the agent that handed it over owns it
    /// again, keeping the slot values it had; with no such agent the bot starts afresh, without greeting again. Returns that agent, if any.
    /// </summary>
    public static (DialogState State, string? AgentId) ReturnFromOperator(DialogState state)
    {
        if (state.ReturnToAgentId is not { } agentId)
            return (new DialogState { Greeted = true }, null);
        return (new DialogState { Slots = new Dictionary<string, string>(state.Slots), ExternalAgentId = agentId, Greeted = true }, agentId);
    }

    /// <summary>A turn event carrying the dialog's slot values.</summary>
    public static AgentEvent CreateEvent(
        string type, string agentId, string dialogId, DialogState state, AgentChannel channel, TimeProvider time,
        string language = "ru", AgentClient? client = null, AgentClientMessage? message = null, string? callbackUrl = null) => new()
    {
        EventId = Guid.NewGuid().ToString("N"),
        Type = type,
        AgentId = agentId,
        DialogId = dialogId,
        Timestamp = time.GetUtcNow(),
        Language = language,
        Channel = channel,
        Client = client ?? new AgentClient(),
        Slots = new Dictionary<string, string>(state.Slots),
        Message = message,
        CallbackUrl = callbackUrl,
    };
}
