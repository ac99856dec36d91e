namespace BotEngine.Handoff;

/// <summary>Where an incoming client message goes (issue items 5a and 6).</summary>
public enum ClientMessageRoute
{
    /// <summary>The bot handles it.</summary>
    Bot,
    /// <summary>Stored; the dialog keeps waiting (the client may be told its place again).</summary>
    Queue,
    /// <summary>Delivered to the owning operator.</summary>
    Operator,
    /// <summary>The dialog was detached: re-queue it preferring the same operator (<see cref="DialogActions.Reattach"/>).</summary>
    Reattach,
    /// <summary>The dialog is closed: start a new dialog with the bot.</summary>
    NewBotDialog,
}
