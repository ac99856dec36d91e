namespace BotEngine.Engine.Knowledge;

public sealed class KnowledgeOptions
{
    /// <summary>The knowledge base loaded into an empty database on first start.</summary>
    public string SeedFile { get; set; } = Path.Combine(AppContext.BaseDirectory, "training-data", "demo-kb.json");
    public double MinConfidence { get; set; } = 0.35;
    /// <summary>How often a node checks whether another node changed the stored knowledge base.</summary>
    public TimeSpan ReloadCheckInterval { get; set; } = TimeSpan.FromSeconds(10);
}
