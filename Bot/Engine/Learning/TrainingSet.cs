using BotEngine.KnowledgeBase;
using BotEngine.Nlu;
using BotEngine.Storage.Learning;

namespace BotEngine.Engine.Learning;

/// <summary>
/// What a classifier is trained on: the KB's phrasings, plus stored examples whose article still exists, except the
/// labels held back as the frozen evaluation set (<see cref="EvaluationSet"/>).
/// </summary>
public sealed record TrainingSet(IReadOnlyList<TrainingExample> Examples, int KbExamples, int LabelledExamples)
{
    /// <summary>The intent of a "not an intent" example: the classifier's out-of-scope class.</summary>
    public const string OutOfScope = "oos";

    public static TrainingSet Build(KbDocument document, IEnumerable<TrainingExampleRow> stored)
    {
        var examples = document.Articles.SelectMany(a => a.Questions.Select(q => new TrainingExample(q, a.Id))).ToList();
        var kb = examples.Count;
        var articles = document.Articles.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var row in stored)
        {
            if (row.ArticleId is { } id && !articles.Contains(id))
                continue; // the article was deleted since
            if (row.HeldOut == 1)
                continue; // the evaluation set: never trained on
            examples.Add(new TrainingExample(row.Text, row.ArticleId ?? OutOfScope, SourceOf(row.Source), (float)row.Weight));
        }
        return new TrainingSet(examples, kb, examples.Count - kb);
    }

    public bool HasTwoIntents => Examples.Select(e => e.Intent).Distinct(StringComparer.Ordinal).Take(2).Count() == 2;

    private static ExampleSource SourceOf(string source) => source switch
    {
        TrainingSources.OperatorChoice or TrainingSources.ClientPick => ExampleSource.OperatorChoice, // a choice made in a dialog
        TrainingSources.KbPhrasing => ExampleSource.KbPhrasing,
        _ => ExampleSource.ManualLabel,
    };
}
