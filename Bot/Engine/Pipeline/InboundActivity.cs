using BotEngine.Engine.Schema;

namespace BotEngine.Engine.Pipeline;

/// <summary>
/// An activity as a channel adapter hands it over: who sent it where, and the channel's own message id. In a group
/// chat the account is the group's (one dialog per group) and <see cref="Participant"/> names the member who wrote.
/// </summary>
public sealed record InboundActivity(
    string Channel,
    string ConversationId,
    string AccountId,
    string? AccountName,
    string? ChannelMessageId,
    Activity Activity,
    InboundParticipant? Participant = null);
