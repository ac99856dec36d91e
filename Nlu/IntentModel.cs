using System.Numerics.Tensors;
using BotEngine.Nlu.Features;
using BotEngine.Nlu.Training;

namespace BotEngine.Nlu;

/// <summary>
/// A trained linear intent model: TF-IDF n-grams → class scores → softmax with a fitted temperature.
/// Immutable; safe to call from many threads.
/// </summary>
public sealed class IntentModel : IIntentClassifier
{
    public IntentModel(
        string[] labels, TfidfVectorizer vectorizer, float[] weights, float[] bias,
        double temperature, double oosThreshold, string oosLabel, ModelMetadata metadata, IReadOnlyList<SoftmaxMlp>? networks = null,
        IsotonicMap? isotonic = null)
    {
        // an empty weight array means the model has no linear part (networks only)
        if ((weights.Length != 0 && weights.LongLength != (long)vectorizer.Dimension * labels.Length) || bias.Length != labels.Length)
        {
            throw new ArgumentException("weight shape does not match vocabulary and labels");
        }

        Networks = networks ?? [];
        Isotonic = isotonic;
        if (Networks.Any(n => n.Inputs != vectorizer.Dimension || n.Classes != labels.Length))
        {
            throw new ArgumentException("network shape does not match vocabulary and labels");
        }

        Labels = labels;
        Vectorizer = vectorizer;
        Weights = weights;
        Bias = bias;
        Temperature = temperature;
        OosThreshold = oosThreshold;
        OosLabel = oosLabel;
        OosIndex = Array.IndexOf(labels, oosLabel);
        Metadata = metadata;
        _scorer = new PackedScorer(vectorizer.Dimension, labels.Length, weights, bias, Networks);
    }

    private readonly PackedScorer _scorer;

    public string[] Labels { get; }
    public TfidfVectorizer Vectorizer { get; }

    /// <summary>Feature-major weights: row f holds the scores feature f adds to every class.</summary>
    public float[] Weights { get; }
    public float[] Bias { get; }

    /// <summary>Neural members of the ensemble; their mean logits are added to the linear scores.</summary>
    public IReadOnlyList<SoftmaxMlp> Networks { get; }
    public double Temperature { get; }

    /// <summary>Optional second calibration step on the top probability.</summary>
    public IsotonicMap? Isotonic { get; }

    /// <summary>Below this top in-scope probability the message is out of scope.</summary>
    public double OosThreshold { get; }
    public string OosLabel { get; }

    /// <summary>Index of the trained out-of-scope class, or -1 when training had no such examples.</summary>
    public int OosIndex { get; }
    public ModelMetadata Metadata { get; }

    /// <summary>Calibrated probabilities over <see cref="Labels"/> (including the oos class if trained).</summary>
    public float[] Probabilities(string text)
    {
        var p = RawScores(Vectorizer.Transform(text));
        TemperatureScaling.Softmax(p, Temperature);
        Isotonic?.Apply(p);
        return p;
    }

    internal float[] RawScores(SparseVector x)
    {
        var scores = new float[Labels.Length];
        _scorer.Scores(x, scores);
        return scores;
    }

    public IntentPrediction Predict(string text, int topK = 3)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Decide(Probabilities(text), topK);
    }

    /// <summary>Top-k in-scope intents and the out-of-scope decision for a probability vector.</summary>
    public IntentPrediction Decide(float[] probs, int topK = 3)
    {
        topK = Math.Max(1, Math.Min(topK, Labels.Length));
        var top = new List<IntentScore>(topK);
        var taken = new bool[probs.Length];
        bool oosWins = OosIndex >= 0 && TensorPrimitives.IndexOfMax(probs) == OosIndex;
        for (int r = 0; r < topK; r++)
        {
            int best = -1;
            for (int c = 0; c < probs.Length; c++)
            {
                if (c != OosIndex && !taken[c] && (best < 0 || probs[c] > probs[best]))
                {
                    best = c;
                }
            }

            if (best < 0)
            {
                break;
            }

            taken[best] = true;
            top.Add(new IntentScore(Labels[best], probs[best]));
        }

        bool oos = oosWins || top.Count == 0 || top[0].Confidence < OosThreshold;
        return new IntentPrediction(top, oos);
    }
}
