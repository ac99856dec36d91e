using BotEngine.Nlu;
using BotEngine.Nlu.Text;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace BotEngine.Bot.Cli;

/// <summary>
/// <c>nlu decide</c>: does a small model over the classifier's signals decide accept / clarify ("did you mean") /
/// fallback better than the dialog runner's plain thresholds? Everything comes from the training file: the classifier
/// is trained on one half of it (stratified, seed 0) and predicts the other half, both ways; those held-out
/// predictions are the cases. Five-fold cross-validation over the cases fits each policy on four fifths and scores it
/// on the fifth, so neither is ever scored on what it was fitted on, and no test file plays a part.
/// Score: the mean utility per message: an accepted right answer +1, an accepted wrong one -1 (as bad as a right one
/// is good), a question whose buttons hold the right article +0.5 (a click late), one without it -0.5, a fallback 0.
/// </summary>
public static class DecisionExperiment
{
    private const double WrongAnswer = -1, RightQuestion = 0.5, WrongQuestion = -0.5;
    private const int Candidates = 3, FeatureCount = 7, OuterFolds = 5;

    /// <summary>The scores of one policy over all held-out cases.</summary>
    public sealed record Outcome(double Utility, double AcceptRate, double AcceptPrecision, double ClarifyRate, double ClarifyHit, double FallbackRate);

    /// <summary>Both policies on one data set; <see cref="TopRight"/> and <see cref="InCandidates"/> describe the classifier.</summary>
    public sealed record Result(int Cases, double TopRight, double InCandidates, Outcome Thresholds, Outcome Model, double TrainSeconds);

    /// <summary>A held-out prediction: its signals, the top-3 confidences and the rank of the right intent (-1: none, or oos).</summary>
    private sealed record Case(float[] Signals, float[] Confidences, int RightRank, bool OutOfScope);

    private sealed record Thresholds(double Accept, double Clarify, double Margin);

    private enum Decision
    {
        Accept,
        Clarify,
        Fallback,
    }

    private sealed class Row
    {
        [VectorType(FeatureCount)]
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }
    }

    private sealed class Scored
    {
        public float Probability { get; set; }
    }

    public static Result Run(IReadOnlyList<(string Text, string Label)> rows, NluOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(options);
        if (rows.Count < OuterFolds * 10)
            throw new ArgumentException($"{rows.Count} examples are too few to compare decision policies (at least {OuterFolds * 10})");
        var started = System.Diagnostics.Stopwatch.StartNew();
        var cases = HeldOutCases(rows, options, ct);
        if (cases.Count < OuterFolds * 10)
            throw new ArgumentException($"{cases.Count} held-out cases are too few to compare decision policies (at least {OuterFolds * 10})");
        double trainS = started.Elapsed.TotalSeconds;

        var fold = new int[cases.Count];
        var order = Enumerable.Range(0, cases.Count).ToArray();
        new Random(0).Shuffle(order);
        for (int i = 0; i < order.Length; i++)
            fold[order[i]] = i % OuterFolds;

        var byThresholds = new Decision[cases.Count];
        var thresholdHits = new bool[cases.Count];
        var byModel = new Decision[cases.Count];
        var ml = new MLContext(0);
        for (int f = 0; f < OuterFolds; f++)
        {
            ct.ThrowIfCancellationRequested();
            var fit = cases.Where((_, i) => fold[i] != f).ToList();
            var held = Enumerable.Range(0, cases.Count).Where(i => fold[i] == f).ToList();
            var chosen = BestThresholds(fit);
            var topRight = FitTrees(ml, fit, c => c.RightRank == 0);
            var inCandidates = FitTrees(ml, fit, c => c.RightRank >= 0);
            var pTop = Probabilities(ml, topRight, held.Select(i => cases[i]));
            var pIn = Probabilities(ml, inCandidates, held.Select(i => cases[i]));
            for (int k = 0; k < held.Count; k++)
            {
                byThresholds[held[k]] = Decide(cases[held[k]], chosen);
                thresholdHits[held[k]] = ThresholdQuestionHit(cases[held[k]], chosen);
                byModel[held[k]] = DecideByExpectedUtility(pTop[k], pIn[k]);
            }
        }

        return new Result(cases.Count, cases.Count(c => c.RightRank == 0) / (double)cases.Count, cases.Count(c => c.RightRank >= 0) / (double)cases.Count,
            Score(cases, byThresholds, thresholdHits), Score(cases, byModel, cases.Select(c => c.RightRank >= 0).ToArray()), trainS);
    }

    /// <summary>The classifier trained on one stratified half predicts the other half, both ways round.</summary>
    private static List<Case> HeldOutCases(IReadOnlyList<(string Text, string Label)> rows, NluOptions options, CancellationToken ct)
    {
        var half = new int[rows.Count];
        var random = new Random(0);
        foreach (var group in Enumerable.Range(0, rows.Count).GroupBy(i => rows[i].Label).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var members = group.ToArray();
            random.Shuffle(members);
            for (int k = 0; k < members.Length; k++)
                half[members[k]] = k % 2;
        }

        var cases = new List<Case>(rows.Count);
        for (int h = 0; h < 2; h++)
        {
            var train = Enumerable.Range(0, rows.Count).Where(i => half[i] != h).Select(i => rows[i]).ToList();
            var model = new IntentTrainer(options).Train(TsvDataset.ToExamples(train), ct);
            var phrasings = train.Where(r => r.Label != options.OosLabel).GroupBy(r => r.Label)
                .ToDictionary(g => g.Key, g => g.Select(r => Trigrams(r.Text)).ToList(), StringComparer.Ordinal);
            foreach (var i in Enumerable.Range(0, rows.Count).Where(i => half[i] == h))
            {
                ct.ThrowIfCancellationRequested();
                var (text, label) = rows[i];
                var probs = model.Probabilities(text);
                var p = model.Decide(probs, Candidates);
                if (p.Top.Count == 0)
                    continue;
                int rank = label == options.OosLabel ? -1 : p.Top.ToList().FindIndex(s => s.Intent == label);
                cases.Add(new Case(SignalsOf(text, p, probs, model.OosIndex, phrasings), p.Top.Select(s => (float)s.Confidence).ToArray(), rank, p.IsOutOfScope));
            }
        }

        return cases;
    }

    /// <summary>Top probability, margin to the second, normalised entropy, nearest phrasing of the top intent, length, Cyrillic share, the oos flag.</summary>
    private static float[] SignalsOf(string text, IntentPrediction p, float[] probs, int oosIndex, Dictionary<string, List<HashSet<string>>> phrasings)
    {
        double top = p.Top[0].Confidence, second = p.Top.Count > 1 ? p.Top[1].Confidence : 0;
        double entropy = 0, mass = 0;
        for (int c = 0; c < probs.Length; c++)
        {
            if (c != oosIndex)
                mass += probs[c];
        }

        for (int c = 0; c < probs.Length; c++)
        {
            double q = c == oosIndex || mass <= 0 ? 0 : probs[c] / mass;
            if (q > 0)
                entropy -= q * Math.Log(q);
        }

        entropy /= Math.Log(Math.Max(2, probs.Length));
        var grams = Trigrams(text);
        double nearest = 0;
        foreach (var other in phrasings.GetValueOrDefault(p.Top[0].Intent) ?? [])
            nearest = Math.Max(nearest, Jaccard(grams, other));
        int letters = text.Count(char.IsLetter);
        double cyrillic = letters == 0 ? 0 : text.Count(ch => ch is >= '\u0400' and <= '\u04FF') / (double)letters;
        int words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        return [(float)top, (float)(top - second), (float)entropy, (float)nearest, words, (float)cyrillic, p.IsOutOfScope ? 1 : 0];
    }

    private static HashSet<string> Trigrams(string text)
    {
        string t = " " + TextNormalizer.Canonical(text) + " ";
        var set = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i + 3 <= t.Length; i++)
            set.Add(t.Substring(i, 3));
        return set;
    }

    private static double Jaccard(HashSet<string> a, HashSet<string> b)
    {
        if (a.Count == 0 || b.Count == 0)
            return 0;
        int common = a.Count(b.Contains);
        return common / (double)(a.Count + b.Count - common);
    }

    /// <summary>The dialog runner's rule: candidates at or above the clarify floor; a question when two or more are and the top is unsure or close to the second.</summary>
    private static Decision Decide(Case c, Thresholds t)
    {
        if (c.OutOfScope || c.Confidences[0] < Math.Min(t.Clarify, t.Accept))
            return Decision.Fallback;
        bool confident = c.Confidences[0] >= t.Accept;
        int close = c.Confidences.Count(x => x >= t.Clarify);
        if (close >= 2 && (!confident || c.Confidences[0] - c.Confidences[1] < t.Margin))
            return Decision.Clarify;
        return confident ? Decision.Accept : Decision.Fallback;
    }

    /// <summary>Whether a threshold question's buttons (the candidates at or above the clarify floor) hold the right intent.</summary>
    private static bool ThresholdQuestionHit(Case c, Thresholds t) =>
        c.RightRank >= 0 && c.Confidences[c.RightRank] >= t.Clarify;

    private static Thresholds BestThresholds(List<Case> fit)
    {
        Thresholds best = new(0.5, 1.01, 0);
        double bestUtility = double.NegativeInfinity;
        for (double accept = 0.05; accept <= 0.951; accept += 0.05)
        {
            foreach (double clarify in new[] { 0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 1.01 })
            {
                foreach (double margin in new[] { 0, 0.05, 0.1, 0.2 })
                {
                    var t = new Thresholds(accept, clarify, margin);
                    double utility = fit.Sum(c => Utility(c, Decide(c, t), ThresholdQuestionHit(c, t)));
                    if (utility > bestUtility)
                        (best, bestUtility) = (t, utility);
                }
            }
        }

        return best;
    }

    private static double Utility(Case c, Decision d, bool questionHit) => d switch
    {
        Decision.Accept => c.RightRank == 0 ? 1 : WrongAnswer,
        Decision.Clarify => questionHit ? RightQuestion : WrongQuestion,
        _ => 0,
    };

    /// <summary>The action of highest expected utility under the model's probabilities (a question offers the top three).</summary>
    private static Decision DecideByExpectedUtility(double pTopRight, double pInCandidates)
    {
        double accept = pTopRight + (1 - pTopRight) * WrongAnswer;
        double clarify = pInCandidates * RightQuestion + (1 - pInCandidates) * WrongQuestion;
        if (accept >= clarify && accept > 0)
            return Decision.Accept;
        return clarify > 0 ? Decision.Clarify : Decision.Fallback;
    }

    private static ITransformer FitTrees(MLContext ml, List<Case> fit, Func<Case, bool> label)
    {
        var data = ml.Data.LoadFromEnumerable(fit.Select(c => new Row { Features = c.Signals, Label = label(c) }));
        var trainer = ml.BinaryClassification.Trainers.FastTree(numberOfLeaves: 8, numberOfTrees: 100, minimumExampleCountPerLeaf: 20, learningRate: 0.1);
        return trainer.Fit(data);
    }

    private static float[] Probabilities(MLContext ml, ITransformer model, IEnumerable<Case> cases)
    {
        var scored = model.Transform(ml.Data.LoadFromEnumerable(cases.Select(c => new Row { Features = c.Signals })));
        return ml.Data.CreateEnumerable<Scored>(scored, reuseRowObject: false).Select(s => s.Probability).ToArray();
    }

    /// <summary>Mean utility and rates; <paramref name="questionHits"/>: whether a question to each case would hold the right intent.</summary>
    private static Outcome Score(List<Case> cases, Decision[] decisions, bool[] questionHits)
    {
        int accepted = 0, acceptedRight = 0, asked = 0, askedHit = 0, fellBack = 0;
        double utility = 0;
        for (int i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            bool hit = questionHits[i];
            utility += Utility(c, decisions[i], hit);
            switch (decisions[i])
            {
                case Decision.Accept:
                    accepted++;
                    acceptedRight += c.RightRank == 0 ? 1 : 0;
                    break;
                case Decision.Clarify:
                    asked++;
                    askedHit += hit ? 1 : 0;
                    break;
                default:
                    fellBack++;
                    break;
            }
        }

        double n = cases.Count;
        return new Outcome(utility / n, accepted / n, accepted == 0 ? 0 : acceptedRight / (double)accepted, asked / n, asked == 0 ? 0 : askedHit / (double)asked, fellBack / n);
    }
}
