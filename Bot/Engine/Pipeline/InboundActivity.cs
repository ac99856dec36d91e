using BotEngine.Engine.Schema;

namespace BotEngine.Engine.Pipeline;

/// <summary>An activity as a channel adapter hands it over: who sent it where, and the channel's own message id.</summary>
public sealed record InboundActivity(
    string Channel,
    string ConversationId,
    string AccountId,
    string? AccountName,
    string? ChannelMessageId,
    Activity Activity);
