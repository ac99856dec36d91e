namespace BotEngine.KnowledgeBase;

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
