namespace BotEngine.Conversations;

/// <summary>A conversation's oldest unprocessed message, its dialog, and whether another message waits behind it.</summary>
public sealed record NextTurn(StoredMessage Message, StoredDialog Dialog, bool MoreWaiting);
