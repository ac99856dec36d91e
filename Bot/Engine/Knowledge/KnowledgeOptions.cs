namespace BotEngine.Engine.Knowledge;

public sealed class KnowledgeOptions
{
    /// <summary>The knowledge base loaded into an empty database on first start.</summary>
    public string SeedFile { get; set; } = Path.Combine(AppContext.BaseDirectory, "training-data", "demo-kb.json");
    public double MinConfidence { get; set; } = 0.35;
    /// <summary>
    /// "Did you mean" (unset: off): when the classifier is unsure, or two articles are close, the articles that reach
    /// this confidence are offered as buttons instead of a guess or the fallback.
    /// </summary>
    public double? ClarifyMinConfidence { get; set; }
    /// <summary>
    /// The sentence encoder that also ranks the KB search by meaning for the languages it covers (English): minilm (the
    /// default), arctic or none (by words alone).
    /// </summary>
    public string SearchEncoder { get; set; } = "minilm";
    /// <summary>How often a node checks whether another node changed the stored knowledge base.</summary>
    public TimeSpan ReloadCheckInterval { get; set; } = TimeSpan.FromSeconds(10);
}
