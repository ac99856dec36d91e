namespace BotEngine.Storage.Learning;

/// <summary>A row of the model registry (<c>nlu_models</c>) without the model's bytes.</summary>
public sealed class StoredModel
{
    public const string Promoted = "promoted";
    public const string Previous = "previous";
    public const string Rejected = "rejected";

    public string Id { get; set; } = "";
    public long CreatedAt { get; set; }
    /// <summary>What started the training: <c>nightly</c>, <c>api</c>.</summary>
    public string Trigger { get; set; } = "";
    public long KbRevision { get; set; }
    public int KbExamples { get; set; }
    public int LabelledExamples { get; set; }
    /// <summary>The creation time of the newest training example it learned (0: none).</summary>
    public long ExamplesThrough { get; set; }
    /// <summary>Cross-validated metrics of this model and of the one live when it was trained (JSON).</summary>
    public string Metrics { get; set; } = "{}";
    public string Status { get; set; } = "";
    /// <summary>Why the gate promoted or rejected it, or who promoted it by hand.</summary>
    public string Reason { get; set; } = "";
    public long? PromotedAt { get; set; }
}
