using BotEngine.Conversations;
using BotEngine.Engine.Knowledge;
using BotEngine.Engine.Schema;
using BotEngine.KnowledgeBase;

namespace BotEngine.Engine.Pipeline.Turns;

/// <summary>One client message's turn as its steps see it: the message and dialog loaded once, and what was decided.</summary>
public sealed class TurnContext(StoredMessage message, StoredDialog dialog, Activity activity, DialogRunner runner)
{
    public StoredMessage Message { get; } = message;

    public StoredDialog Dialog { get; } = dialog;

    public Activity Activity { get; } = activity;

    /// <summary>The knowledge base as it was when the turn began: one snapshot for the whole turn.</summary>
    public DialogRunner Runner { get; } = runner;

    /// <summary>The language of this message, else the dialog's.</summary>
    public string Language { get; } = LanguageDetector.Detect(activity.Text) ?? dialog.Language;

    /// <summary>The bot's memory of the dialog (scenario, slots, the agent that owns it), read once.</summary>
    public DialogState State { get; set; } = BotResponder.ReadState(dialog.BotState);

    /// <summary>What the bot does; null when people own the dialog (the message is theirs to answer).</summary>
    public TurnPlan? Plan { get; set; }
}
