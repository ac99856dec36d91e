namespace BotEngine.KnowledgeBase;

public sealed class ScenarioState
{
    public string ArticleId { get; set; } = "";
    /// <summary>The slot whose question is waiting for an answer.</summary>
    public string? SlotId { get; set; }
    /// <summary>True while the "already filled" question (yes/no) is asked for <see cref="SlotId"/>.</summary>
    public bool ConfirmingFilled { get; set; }
    public int Failures { get; set; }
    /// <summary>Slots settled in this run (answered or confirmed): not asked again.</summary>
    public List<string> Settled { get; set; } = [];
    /// <summary>Slots given a new value in this run: "cancel" forgets them.</summary>
    public List<string> FilledHere { get; set; } = [];
    /// <summary>The scenario collects contact details out of hours; its end is a callback request.</summary>
    public bool CollectingContacts { get; set; }
    public string? HandoffLine { get; set; }
    public List<string> HandoffSkills { get; set; } = [];
    /// <summary>An operator started this scenario from the workplace: when it ends (or is cancelled) the dialog goes back to them.</summary>
    public string? ReturnToOperatorId { get; set; }
}
