using System.Diagnostics;

namespace BotEngine.Nlu.Evaluation;

/// <summary>
/// Runs a model over labelled test examples one message at a time (as the engine does) and computes the metrics.
/// ECE is measured on the arg-max of the full distribution (the oos class included when trained): it checks the
/// probabilities themselves, independent of the out-of-scope threshold.
/// </summary>
public static class Evaluator
{
    public static EvaluationResult Evaluate(IntentModel model, IReadOnlyList<(string Text, string Label)> test, string oosLabel = "oos", CancellationToken ct = default)
    {
        var items = new List<EvaluatedItem>(test.Count);
        var micros = new double[test.Count];
        var conf = new double[test.Count];
        var hit = new bool[test.Count];
        // Measure the steady state a running engine is in: tiered compilation recompiles hot methods a moment after
        // their first calls, and those recompiles would otherwise land in p99. Predicting has no side effects.
        var warmUp = Stopwatch.StartNew();
        for (int i = 0; test.Count > 0 && (i < 200 || warmUp.Elapsed < TimeSpan.FromSeconds(1.5)) && i < 20 * test.Count; i++)
        {
            model.Predict(test[i % test.Count].Text);
        }

        for (int i = 0; i < test.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            long t0 = Stopwatch.GetTimestamp();
            var probs = model.Probabilities(test[i].Text);
            var pred = model.Decide(probs);
            micros[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;

            int arg = 0;
            for (int c = 1; c < probs.Length; c++)
            {
                if (probs[c] > probs[arg])
                {
                    arg = c;
                }
            }

            conf[i] = probs[arg];
            hit[i] = model.Labels[arg] == test[i].Label;
            string predicted = pred.IsOutOfScope ? oosLabel : pred.Top[0].Intent;
            items.Add(new EvaluatedItem(test[i].Text, test[i].Label, predicted, pred.Top.Count > 0 ? pred.Top[0].Intent : oosLabel,
                pred.Top.Count > 0 ? pred.Top[0].Confidence : 0, pred.IsOutOfScope, conf[i], hit[i],
                model.OosIndex >= 0 && arg == model.OosIndex));
        }

        var inScope = items.Where(x => x.Gold != oosLabel).ToList();
        var oos = items.Where(x => x.Gold == oosLabel).ToList();
        var intents = items.Select(x => x.Gold).Concat(items.Select(x => x.Predicted)).Distinct().Order(StringComparer.Ordinal);
        var stats = intents.Select(l => new IntentStats(l,
            items.Count(x => x.Gold == l), items.Count(x => x.Predicted == l), items.Count(x => x.Gold == l && x.Predicted == l)))
            .ToList();
        var goldStats = stats.Where(s => s.Support > 0).ToList();
        Array.Sort(micros);
        return new EvaluationResult
        {
            Items = items,
            PerIntent = stats,
            AccuracyInScope = inScope.Count == 0 ? 0 : inScope.Count(x => x.Predicted == x.Gold) / (double)inScope.Count,
            AccuracyAll = items.Count == 0 ? 0 : items.Count(x => x.Predicted == x.Gold) / (double)items.Count,
            MacroF1 = goldStats.Count == 0 ? 0 : goldStats.Average(s => s.F1),
            OosRecall = oos.Count == 0 ? null : oos.Count(x => x.Predicted == oosLabel) / (double)oos.Count,
            Ece = Metrics.Ece(conf, hit),
            PredictUsP50 = Percentile(micros, 0.50),
            PredictUsP99 = Percentile(micros, 0.99),
        };
    }

    /// <summary>In-scope accuracy and oos recall had the threshold been each of <paramref name="thresholds"/>.</summary>
    public static IReadOnlyList<(double Threshold, double AccuracyInScope, double OosRecall)> ThresholdSweep(
        EvaluationResult r, IEnumerable<double> thresholds, string oosLabel = "oos")
    {
        var list = new List<(double, double, double)>();
        var inScope = r.Items.Where(x => x.Gold != oosLabel).ToList();
        var oos = r.Items.Where(x => x.Gold == oosLabel).ToList();
        foreach (var t in thresholds)
        {
            bool Rejects(EvaluatedItem x) => x.OosClassWins || x.TopConfidence < t;
            double acc = inScope.Count == 0 ? 0 : inScope.Count(x => !Rejects(x) && x.TopLabel == x.Gold) / (double)inScope.Count;
            double rec = oos.Count == 0 ? 0 : oos.Count(Rejects) / (double)oos.Count;
            list.Add((t, acc, rec));
        }

        return list;
    }

    private static double Percentile(double[] sorted, double q)
    {
        if (sorted.Length == 0)
        {
            return 0;
        }

        int i = (int)Math.Ceiling(q * sorted.Length) - 1;
        return sorted[Math.Clamp(i, 0, sorted.Length - 1)];
    }
}
