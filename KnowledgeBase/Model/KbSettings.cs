namespace BotEngine.KnowledgeBase;

public sealed class KbSettings
{
    /// <summary>Language code to the article sent when a dialog starts.</summary>
    public Dictionary<string, string> GreetingArticle { get; set; } = [];
    /// <summary>Language code to the text sent when the bot found no confident answer.</summary>
    public Dictionary<string, string> FallbackText { get; set; } = [];
    /// <summary>Language code to the text sent when the dialog is handed to operators.</summary>
    public Dictionary<string, string> HandoffText { get; set; } = [];
    /// <summary>Language code to the text sent when the client cancels a scenario; a built-in text when missing.</summary>
    public Dictionary<string, string> CancelText { get; set; } = [];
    /// <summary>The bot answers when the best article's confidence reaches this (0..1); the engine's Knowledge:MinConfidence when unset.</summary>
    public double? MinConfidence { get; set; }
}
