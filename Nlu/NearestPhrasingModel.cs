using BotEngine.Nlu.Features;

namespace BotEngine.Nlu;

/// <summary>
/// An intent model for thousands of intents: an intent's score is the cosine similarity of the message to the
/// intent's nearest training phrasing (TF-IDF n-gram rows found through an inverted index), and a softmax over all
/// intents with a fitted temperature makes it a probability. Its size and its cost grow with the number of phrasings,
/// where the dense linear model's grow with phrasings times intents. Immutable and thread-safe.
/// </summary>
public sealed class NearestPhrasingModel : IIntentClassifier
{
    [ThreadStatic]
    private static Scratch? t_scratch;

    private readonly int[] _rowLabel;
    private readonly int[] _postingStart;
    private readonly int[] _postingRow;
    private readonly float[] _postingValue;

    /// <param name="rows">The training phrasings' feature rows.</param>
    /// <param name="rowLabels">Each row's index in <paramref name="labels"/>.</param>
    public NearestPhrasingModel(string[] labels, TfidfVectorizer vectorizer, IReadOnlyList<SparseVector> rows, int[] rowLabels, string oosLabel)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(vectorizer);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(rowLabels);
        if (rows.Count != rowLabels.Length || rowLabels.Any(l => (uint)l >= (uint)labels.Length))
        {
            throw new ArgumentException("every row needs the index of its label");
        }

        Labels = labels;
        Vectorizer = vectorizer;
        OosLabel = oosLabel;
        OosIndex = Array.IndexOf(labels, oosLabel);
        _rowLabel = rowLabels;
        // the rows transposed: per feature, the rows that have it (compressed sparse columns)
        _postingStart = new int[vectorizer.Dimension + 1];
        foreach (var row in rows)
        {
            foreach (int f in row.Indices)
            {
                _postingStart[f + 1]++;
            }
        }

        for (int f = 0; f < vectorizer.Dimension; f++)
        {
            _postingStart[f + 1] += _postingStart[f];
        }

        _postingRow = new int[_postingStart[^1]];
        _postingValue = new float[_postingStart[^1]];
        var next = _postingStart[..^1];
        for (int r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            for (int j = 0; j < row.Count; j++)
            {
                int at = next[row.Indices[j]]++;
                _postingRow[at] = r;
                _postingValue[at] = row.Values[j];
            }
        }
    }

    private NearestPhrasingModel(NearestPhrasingModel index, double temperature, double oosThreshold)
    {
        (Labels, Vectorizer, OosLabel, OosIndex) = (index.Labels, index.Vectorizer, index.OosLabel, index.OosIndex);
        (_rowLabel, _postingStart, _postingRow, _postingValue) = (index._rowLabel, index._postingStart, index._postingRow, index._postingValue);
        Temperature = temperature;
        OosThreshold = oosThreshold;
    }

    public string[] Labels { get; }
    public TfidfVectorizer Vectorizer { get; }
    public string OosLabel { get; }

    /// <summary>Index of the out-of-scope label, or -1 when training had no such examples.</summary>
    public int OosIndex { get; }

    /// <summary>Divides the similarities before the softmax (fitted by the trainer; 1 until then).</summary>
    public double Temperature { get; } = 1;

    /// <summary>Below this top in-scope probability the message is out of scope (0: the engine's threshold decides).</summary>
    public double OosThreshold { get; }

    /// <summary>This index with a fitted temperature and threshold (the postings are shared, not copied).</summary>
    public NearestPhrasingModel Calibrated(double temperature, double oosThreshold) => new(this, temperature, oosThreshold);

    public int TrainingExamples => _rowLabel.Length;

    public IntentPrediction Predict(string text, int topK = 3)
    {
        ArgumentNullException.ThrowIfNull(text);
        var scores = new List<(int Label, float Similarity)>();
        NearestPerLabel(Vectorizer.Transform(text), -1, scores);
        return Decide(scores, Math.Max(1, topK));
    }

    /// <summary>
    /// The similarity of <paramref name="x"/> to each label's nearest row, for the labels with a row that shares a
    /// feature with it (the others score 0); <paramref name="skipRow"/> is left out (leave-one-out fitting).
    /// </summary>
    internal void NearestPerLabel(SparseVector x, int skipRow, List<(int Label, float Similarity)> scores)
    {
        scores.Clear();
        var s = t_scratch ??= new Scratch();
        s.Fit(_rowLabel.Length, Labels.Length);
        var rowSim = s.RowSim;
        var touched = s.Touched;
        touched.Clear();
        for (int i = 0; i < x.Count; i++)
        {
            int f = x.Indices[i];
            float v = x.Values[i];
            for (int p = _postingStart[f]; p < _postingStart[f + 1]; p++)
            {
                int r = _postingRow[p];
                if (rowSim[r] == 0)
                {
                    touched.Add(r);
                }

                rowSim[r] += v * _postingValue[p];
            }
        }

        var best = s.LabelBest;
        foreach (int r in touched)
        {
            float sim = rowSim[r];
            rowSim[r] = 0;
            if (r == skipRow || sim <= 0)
            {
                continue;
            }

            int label = _rowLabel[r];
            if (best[label] < 0)
            {
                best[label] = scores.Count;
                scores.Add((label, sim));
            }
            else if (scores[best[label]].Similarity < sim)
            {
                scores[best[label]] = (label, sim);
            }
        }

        foreach (var (label, _) in scores)
        {
            best[label] = -1;
        }
    }

    /// <summary>Softmax over all labels (those not in <paramref name="scores"/> at similarity 0), top in-scope labels first.</summary>
    private IntentPrediction Decide(List<(int Label, float Similarity)> scores, int topK)
    {
        if (scores.Count == 0)
        {
            return new IntentPrediction([], true);
        }

        double beta = 1 / Temperature;
        float max = 0;
        foreach (var (_, sim) in scores)
        {
            max = Math.Max(max, sim);
        }

        double z = (Labels.Length - scores.Count) * Math.Exp(-max * beta);
        foreach (var (_, sim) in scores)
        {
            z += Math.Exp((sim - max) * beta);
        }

        // the few best by a scan: sorting thousands of touched labels per message cost more than finding them
        var top = new List<IntentScore>(topK);
        var taken = new List<int>(topK);
        int bestLabel = -1;
        float bestSim = float.NegativeInfinity;
        foreach (var (label, sim) in scores)
        {
            if (sim > bestSim || (sim == bestSim && label < bestLabel))
            {
                (bestLabel, bestSim) = (label, sim);
            }
        }

        bool oosWins = OosIndex >= 0 && bestLabel == OosIndex;
        while (top.Count < topK)
        {
            int pick = -1;
            float pickSim = float.NegativeInfinity;
            foreach (var (label, sim) in scores)
            {
                if (label != OosIndex && !taken.Contains(label) && (sim > pickSim || (sim == pickSim && label < pick)))
                {
                    (pick, pickSim) = (label, sim);
                }
            }

            if (pick < 0)
            {
                break;
            }

            taken.Add(pick);
            top.Add(new IntentScore(Labels[pick], Math.Exp((pickSim - max) * beta) / z));
        }

        return new IntentPrediction(top, oosWins || top.Count == 0 || top[0].Confidence < OosThreshold);
    }

    /// <summary>Per-thread sums per row and best row per label, kept zeroed (and -1) between calls.</summary>
    private sealed class Scratch
    {
        public float[] RowSim { get; private set; } = [];
        public int[] LabelBest { get; private set; } = [];
        public List<int> Touched { get; } = new(1024);

        public void Fit(int rows, int labels)
        {
            if (RowSim.Length < rows)
            {
                RowSim = new float[rows];
            }

            if (LabelBest.Length < labels)
            {
                var best = new int[labels];
                Array.Fill(best, -1);
                LabelBest = best;
            }
        }
    }
}
