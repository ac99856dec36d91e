namespace BotEngine.Nlu;

/// <summary>The examples a trainer can learn from (text, intent and a positive weight) and their intents as indexes.</summary>
internal sealed record UsableExamples(List<TrainingExample> Examples, string[] Labels, int[] Y)
{
    public static UsableExamples From(IReadOnlyList<TrainingExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var usable = examples.Where(e => !string.IsNullOrWhiteSpace(e.Text) && !string.IsNullOrWhiteSpace(e.Intent) && e.Weight > 0).ToList();
        if (usable.Count == 0)
        {
            throw new ArgumentException("no usable training examples", nameof(examples));
        }

        var labels = usable.Select(e => e.Intent).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var labelIndex = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
        return new UsableExamples(usable, labels, usable.Select(e => labelIndex[e.Intent]).ToArray());
    }
}
