using BotEngine.Conversations;

namespace BotEngine.Engine.Pipeline;

/// <summary>A conversation's bound account, its client and the dialog open in it, as this node last stored them.</summary>
public sealed record KnownConversation(string AccountId, string ClientId, string DialogId)
{
    /// <summary>
    /// The open dialog's row as this node's last turn left it, when known: the next message's turn is planned from it
    /// before the write, which commits the turn only if the dialog is still at that version.
    /// </summary>
    public StoredDialog? Dialog { get; init; }
}
