namespace BotEngine.KnowledgeBase;

/// <summary>A "did you mean" question waiting for the client's pick.</summary>
public sealed class ClarificationState
{
    /// <summary>The client's text the bot was unsure about.</summary>
    public string Text { get; set; } = "";
    /// <summary>The articles offered as buttons, best first.</summary>
    public List<string> ArticleIds { get; set; } = [];
}
