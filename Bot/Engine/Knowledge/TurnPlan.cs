using BotEngine.Storage.Agents;
using BotEngine.Storage.Learning;
using BotEngine.Engine.Pipeline;

namespace BotEngine.Engine.Knowledge;

public sealed record TurnPlan(IReadOnlyList<OutboundMessage> Replies, HandoffRequest? Handoff, string BotState, string Language)
{
    /// <summary>The bot (or an external agent) ends the dialog.</summary>
    public bool Close { get; init; }
    public CallbackRequest? Callback { get; init; }
    /// <summary>The first replies are the dialog's greeting: sent on its first message but not a reply to it (no replyToId).</summary>
    public int Greetings { get; init; }
    /// <summary>An event for the external agent, stored with the turn; its answer is applied later as its own step.</summary>
    public PendingAgentCall? AgentCall { get; init; }
    /// <summary>The client's message was not understood or handed off: the labelling inbox shows it.</summary>
    public BotMiss? Miss { get; init; }
    /// <summary>The client picked an article a "did you mean" question offered: a training example stored with the turn (its time set then).</summary>
    public TrainingExampleRow? ClientPick { get; init; }
}
