namespace BotEngine.Handoff;

public enum OperatorStatus
{
    Offline,
    Online,
    /// <summary>Takes no new dialogs but finishes current ones; leaving it goes through offline.</summary>
    Invisible,
    /// <summary>Current dialogs return to the queue.</summary>
    Lunch,
    /// <summary>Current dialogs return to the queue.</summary>
    Training,
}
