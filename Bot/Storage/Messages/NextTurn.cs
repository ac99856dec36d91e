namespace BotEngine.Storage.Messages;

/// <summary>A conversation's oldest unprocessed message, its dialog, and whether another message waits behind it.</summary>
public sealed record NextTurn(MessageRow Message, DialogRow Dialog, bool MoreWaiting);
