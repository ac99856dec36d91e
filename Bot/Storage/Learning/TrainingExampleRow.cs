namespace BotEngine.Storage.Learning;

/// <summary>A stored training example (a row of <c>training_examples</c>); <see cref="ArticleId"/> null is "not an intent".</summary>
public sealed class TrainingExampleRow
{
    public string Id { get; set; } = "";
    public string Text { get; set; } = "";
    public string Language { get; set; } = "";
    public string? ArticleId { get; set; }
    /// <summary><c>kb_phrasing</c>, <c>operator_choice</c>, <c>manual_label</c> or <c>client_pick</c> (<see cref="TrainingSources"/>).</summary>
    public string Source { get; set; } = "";
    public double Weight { get; set; }
    public string? CreatedBy { get; set; }
    public long CreatedAt { get; set; }
    public string? MessageId { get; set; }
    /// <summary>A manual label's place in the frozen evaluation set: null undecided, 1 held out from training, 0 trains.</summary>
    public int? HeldOut { get; set; }
}
