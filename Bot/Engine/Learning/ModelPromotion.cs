using BotEngine.Engine.Knowledge;
using BotEngine.Storage;
using BotEngine.Storage.Learning;

namespace BotEngine.Engine.Learning;

/// <summary>
/// Promotes a registry model by hand (a rejected candidate, or a rollback to an earlier one) and swaps it in as other
/// nodes will: its stored classifier when it was trained on today's KB, else a background retrain with its labels.
/// </summary>
public sealed class ModelPromotion(KnowledgeRuntime knowledge, ModelRegistryStore registry, TimeProvider time)
{
    /// <summary>The promoted model, or null when there is no such model.</summary>
    public async Task<StoredModel?> PromoteAsync(string modelId, string operatorId, CancellationToken cancellationToken)
    {
        var promoted = await registry.PromoteAsync(modelId, $"promoted by hand by operator {operatorId}", time.NowMicros(), cancellationToken);
        if (promoted is not null)
            await knowledge.ReloadModelIfChangedAsync(cancellationToken);
        return promoted;
    }
}
