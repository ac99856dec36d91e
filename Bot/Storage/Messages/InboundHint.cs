using BotEngine.Conversations;

namespace BotEngine.Storage.Messages;

/// <summary>What an inbound write needs to know before it starts: a repeat's stored copy, and the conversation's client, account and open dialog.</summary>
public sealed class InboundHint
{
    public string? ClientId { get; set; }
    public string? AccountId { get; set; }
    public string? DialogId { get; set; }
    public string? ExistingId { get; set; }
    public string? ExistingDialogId { get; set; }
    /// <summary>The open dialog's row, when the hint was read (not when remembered).</summary>
    public StoredDialog? Dialog { get; set; }
    /// <summary>Not a column: the engine's memory of the conversation, not read now; an append that does not match it changes nothing.</summary>
    public bool Remembered { get; set; }
}
