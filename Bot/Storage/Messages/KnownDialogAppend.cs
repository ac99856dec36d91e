namespace BotEngine.Storage.Messages;

/// <summary>
/// The outcome of <see cref="InboundStore.AppendToKnownDialogAsync"/>: <see cref="DialogMatched"/> is 0 when the dialog
/// is no longer open here (nothing changed); <see cref="Seq"/> is null when the message is a repeat.
/// </summary>
public sealed class KnownDialogAppend
{
    public long DialogMatched { get; set; }
    public long? Seq { get; set; }
}
