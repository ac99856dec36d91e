using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace BotEngine.Bot.Cli;

/// <summary>
/// The benchmark's ML.NET peer (<c>nlu mlnet</c>): what a .NET team reaches for first, ML.NET's default text
/// pipeline, <c>FeaturizeText</c> (word 1-2-grams and character 1-3-grams, TF-IDF-normalised) into
/// <c>SdcaMaximumEntropy</c>, with its default settings. <c>oos</c> examples train a class of their own, as in ours.
/// </summary>
public static class MlNetPeer
{
    private sealed class Row
    {
        public string Text { get; set; } = "";
        public string Label { get; set; } = "";
    }

    private sealed class Prediction
    {
        [ColumnName("PredictedLabel")]
        public string Predicted { get; set; } = "";
    }

    public sealed record Result(double AccuracyInScope, double AccuracyAll, double? OosRecall, double TrainSeconds, double PredictUsPerItem);

    public static Result Run(IReadOnlyList<(string Text, string Label)> train, IReadOnlyList<(string Text, string Label)> test, string oosLabel, int seed = 0)
    {
        var ml = new MLContext(seed);
        var trainData = ml.Data.LoadFromEnumerable(train.Select(r => new Row { Text = r.Text, Label = r.Label }));
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.Text.FeaturizeText("Features", nameof(Row.Text)))
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy())
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var sw = Stopwatch.StartNew();
        var model = pipeline.Fit(trainData);
        double trainS = sw.Elapsed.TotalSeconds;

        sw.Restart();
        var scored = model.Transform(ml.Data.LoadFromEnumerable(test.Select(r => new Row { Text = r.Text, Label = r.Label })));
        var predicted = ml.Data.CreateEnumerable<Prediction>(scored, reuseRowObject: false).Select(p => p.Predicted).ToArray();
        double predictUs = sw.Elapsed.TotalMicroseconds / Math.Max(1, test.Count);

        int inScope = 0, inScopeRight = 0, oos = 0, oosRight = 0, right = 0;
        for (int i = 0; i < test.Count; i++)
        {
            bool hit = predicted[i] == test[i].Label;
            right += hit ? 1 : 0;
            if (test[i].Label == oosLabel)
            {
                oos++;
                oosRight += hit ? 1 : 0;
            }
            else
            {
                inScope++;
                inScopeRight += hit ? 1 : 0;
            }
        }

        return new Result(inScope == 0 ? 0 : (double)inScopeRight / inScope, test.Count == 0 ? 0 : (double)right / test.Count,
            oos == 0 ? null : (double)oosRight / oos, trainS, predictUs);
    }
}
