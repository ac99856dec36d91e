namespace BotEngine.KnowledgeBase;

/// <summary>The bot's memory of one dialog; the engine stores it as JSON (System.Text.Json, web defaults) between turns.</summary>
public sealed class DialogState
{
    public int ConsecutiveMisses { get; set; }
    public string? LastArticleId { get; set; }
    /// <summary>Slot id to stored value (a dictionary slot stores the item id, a phone +7XXXXXXXXXX).</summary>
    public Dictionary<string, string> Slots { get; set; } = [];
    /// <summary>The scenario in progress, if any.</summary>
    public ScenarioState? Scenario { get; set; }
    /// <summary>The client's last texts, oldest first: hidden slots are filled from them.</summary>
    public List<string> RecentTexts { get; set; } = [];
    /// <summary>Set by a <c>/redirect</c>: the external agent that owns the dialog until it answers done/handoff/close.</summary>
    public string? ExternalAgentId { get; set; }
    /// <summary>The external agent that handed the dialog to operators: an operator's "back to the bot" returns it there.</summary>
    public string? ReturnToAgentId { get; set; }
    /// <summary>The dialog was greeted (or the bot has spoken in it before, e.g. handed back by an operator): no greeting again.</summary>
    public bool Greeted { get; set; }
    /// <summary>The "did you mean" question of the last turn, if the bot asked one: the client's pick teaches the classifier.</summary>
    public ClarificationState? Clarification { get; set; }
}
