namespace BotEngine.KnowledgeBase;

/// <summary>
/// What the client sent in one turn: free text, an article button (<see cref="ArticleId"/>), or a runner-made
/// button such as a dictionary option or yes/no (its <see cref="AnswerButton.Value"/> comes back as <see cref="Payload"/>).
/// </summary>
public sealed record ClientInput(string? Text, string? ArticleId, string Language)
{
    public string? Payload { get; init; }
    /// <summary>Where the dialog runs: used for access filtering and the business calendar. Null means unrestricted.</summary>
    public DialogContext? Context { get; init; }
}

/// <summary>The dialog's place in the contact centre.</summary>
public sealed record DialogContext
{
    public string? CallCentre { get; init; }
    public string? Line { get; init; }
    public IReadOnlyList<string> Skills { get; init; } = [];
}

public sealed record ArticleCandidate(string ArticleId, double Confidence);

/// <summary>Finds the articles that answer a text (the engine adapts the intent classifier to this).</summary>
public interface IArticleMatcher
{
    IReadOnlyList<ArticleCandidate> Match(string text, string language);
}

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

/// <summary>A "did you mean" question waiting for the client's pick.</summary>
public sealed class ClarificationState
{
    /// <summary>The client's text the bot was unsure about.</summary>
    public string Text { get; set; } = "";
    /// <summary>The articles offered as buttons, best first.</summary>
    public List<string> ArticleIds { get; set; } = [];
}

/// <summary>
/// A client's pick among the articles a "did you mean" question offered: the text it was asked about, labelled
/// with the chosen article. The engine stores it as a training example.
/// </summary>
public sealed record ClarifiedExample(string Text, string ArticleId, string Language);

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

public sealed record OutgoingMessage(string Text, IReadOnlyList<AnswerButton> Buttons, IReadOnlyList<AnswerAttachment> Attachments, string? ArticleId)
{
    /// <summary>The kind of value this message asks for (a slot's question), so a channel can offer its own input for it (Telegram's "share my phone").</summary>
    public SlotType? Expects { get; init; }
}

public abstract record TurnOutcome
{
    /// <summary>The bot keeps the dialog.</summary>
    public sealed record Continue : TurnOutcome;

    /// <summary>Queue the dialog for operators.</summary>
    public sealed record Handoff(string? Line, string Reason) : TurnOutcome
    {
        /// <summary>A specific operator (from an external agent's handoff action).</summary>
        public string? OperatorId { get; init; }
        /// <summary>Skills the operator must have (from the article's <c>/operator</c> or the agent's action).</summary>
        public IReadOnlyList<string> Skills { get; init; } = [];
        /// <summary>Queued although the call centre is closed (out-of-hours mode "queue"); the notice was already sent.</summary>
        public bool OutOfHours { get; init; }
    }

    /// <summary>Hand the dialog with its slot values to an external agent (<see cref="DialogState.ExternalAgentId"/> is set).</summary>
    public sealed record Redirect(string AgentId) : TurnOutcome;

    public sealed record Close : TurnOutcome;

    /// <summary>Out of hours the client left contact details instead of queueing: create a callback task for operators.</summary>
    public sealed record CallbackRequested(string? Line, IReadOnlyDictionary<string, string> Contacts) : TurnOutcome;
}

public sealed record TurnResult(IReadOnlyList<OutgoingMessage> Messages, TurnOutcome Outcome, DialogState State)
{
    /// <summary>Set when this turn answered a "did you mean" question with one of the offered articles.</summary>
    public ClarifiedExample? Clarified { get; init; }
}

public sealed class DialogRunnerOptions
{
    /// <summary>Below this confidence the bot does not answer with an article.</summary>
    public double MinConfidence { get; set; } = 0.35;
    /// <summary>
    /// "Did you mean" (null: off). When the best article is below <see cref="MinConfidence"/> but at least this
    /// sure, or the two best are within <see cref="ClarifyMargin"/> of each other, and two or more articles reach
    /// this confidence, the bot offers them as buttons instead of guessing or falling back; the pick comes back as
    /// <see cref="TurnResult.Clarified"/>.
    /// </summary>
    public double? ClarifyMinConfidence { get; set; }
    /// <summary>Two articles closer than this in confidence are too close to pick between without asking.</summary>
    public double ClarifyMargin { get; set; } = 0.1;
    /// <summary>At most this many articles are offered.</summary>
    public int ClarifyCandidates { get; set; } = 3;
    /// <summary>After this many misses in a row the dialog goes to operators.</summary>
    public int MissesBeforeHandoff { get; set; } = 2;
    /// <summary>Invalid slot answers in a row before the dialog goes to operators, unless the slot sets its own.</summary>
    public int SlotAttemptsBeforeHandoff { get; set; } = 3;
    /// <summary>How many client texts to keep for hidden slots.</summary>
    public int RecentTextsKept { get; set; } = 10;
    /// <summary>Of each kept text only this many characters are stored (hidden slots look no further), so what a client makes the dialog store stays small.</summary>
    public int RecentTextLength { get; set; } = 1000;
    /// <summary>A longer answer to a slot question is refused like an invalid one (with a hint naming the limit).</summary>
    public int MaxSlotValueLength { get; set; } = 1000;
}
