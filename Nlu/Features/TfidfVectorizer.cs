using BotEngine.Nlu.Text;

namespace BotEngine.Nlu.Features;

/// <summary>
/// Vocabulary of n-gram keys seen in training, with smoothed IDF. Vectors use sublinear TF, each feature group is
/// L2-normalised and weighted, then the whole vector is L2-normalised so the regulariser sees one scale.
/// Immutable after <see cref="Fit"/>; <see cref="Transform(string)"/> is thread-safe.
/// </summary>
public sealed class TfidfVectorizer
{
    [ThreadStatic]
    private static List<ulong>? t_keys;

    [ThreadStatic]
    private static List<int>? t_idx;

    private readonly Dictionary<ulong, int> _index;
    private readonly NgramExtractor _extractor;

    public TfidfVectorizer(FeatureConfig config, ulong[] keys, float[] idf, WordVectors? vectors = null)
    {
        if (keys.Length != idf.Length)
        {
            throw new ArgumentException("keys and idf differ in length");
        }

        Config = config;
        Keys = keys;
        Idf = idf;
        Vectors = vectors;
        _extractor = new NgramExtractor(config);
        _index = new Dictionary<ulong, int>(keys.Length);
        for (int i = 0; i < keys.Length; i++)
        {
            _index[keys[i]] = i;
        }
    }

    public FeatureConfig Config { get; }
    public ulong[] Keys { get; }
    public float[] Idf { get; }
    /// <summary>Optional pretrained word vectors; their mean fills the last <c>Vectors.Dimension</c> features.</summary>
    public WordVectors? Vectors { get; }

    public int Dimension => Keys.Length + (Vectors?.Dimension ?? 0);

    public static TfidfVectorizer Fit(IReadOnlyList<IReadOnlyList<string>> docs, FeatureConfig config, WordVectors? vectors = null)
    {
        var extractor = new NgramExtractor(config);
        var df = new Dictionary<ulong, int>();
        var keys = new List<ulong>(256);
        foreach (var tokens in docs)
        {
            keys.Clear();
            extractor.Extract(tokens, keys);
            keys.Sort();
            for (int i = 0; i < keys.Count; i++)
            {
                if (i > 0 && keys[i] == keys[i - 1])
                {
                    continue;
                }

                df[keys[i]] = df.GetValueOrDefault(keys[i]) + 1;
            }
        }

        // sorted keys make the vocabulary order independent of dictionary internals (deterministic models)
        var kept = df.Where(kv => kv.Value >= config.MinDf).Select(kv => kv.Key).Order().ToArray();
        var idf = new float[kept.Length];
        double n = docs.Count;
        for (int i = 0; i < kept.Length; i++)
        {
            idf[i] = (float)(Math.Log((1 + n) / (1 + df[kept[i]])) + 1);
        }

        return new TfidfVectorizer(config, kept, idf, vectors);
    }

    public SparseVector Transform(string text) => Transform(TextNormalizer.Tokenize(text));

    public SparseVector Transform(IReadOnlyList<string> tokens)
    {
        // per-thread scratch lists: prediction runs one message at a time per request thread, and these two
        // lists were most of its garbage
        var keys = t_keys ??= new List<ulong>(512);
        var idx = t_idx ??= new List<int>(512);
        keys.Clear();
        idx.Clear();
        _extractor.Extract(tokens, keys);
        foreach (var k in keys)
        {
            if (_index.TryGetValue(k, out int j))
            {
                idx.Add(j);
            }
        }

        int dims = Vectors?.Dimension ?? 0;
        Span<float> mean = dims <= 1024 ? stackalloc float[dims] : new float[dims];
        double meanSq = 0;
        if (Vectors is not null && Vectors.Mean(tokens, mean))
        {
            meanSq = System.Numerics.Tensors.TensorPrimitives.SumOfSquares(mean);
        }

        if (idx.Count == 0 && meanSq == 0)
        {
            return SparseVector.Empty;
        }

        idx.Sort();
        int distinct = idx.Count > 0 ? 1 : 0;
        for (int i = 1; i < idx.Count; i++)
        {
            if (idx[i] != idx[i - 1])
            {
                distinct++;
            }
        }

        int dense = meanSq > 0 ? dims : 0;
        var outIdx = new int[distinct + dense];
        var outVal = new float[distinct + dense];
        Span<double> groupSq = stackalloc double[4];
        int w = 0;
        for (int i = 0; i < idx.Count;)
        {
            int j = i;
            while (j < idx.Count && idx[j] == idx[i])
            {
                j++;
            }

            int tf = j - i;
            float v = (Config.SublinearTf ? 1f + MathF.Log(tf) : tf) * Idf[idx[i]];
            outIdx[w] = idx[i];
            outVal[w] = v;
            groupSq[(int)NgramExtractor.GroupOf(Keys[idx[i]])] += v * v;
            w++;
            i = j;
        }

        Span<float> scale = stackalloc float[4];
        double total = 0;
        for (int g = 0; g < 4; g++)
        {
            if (groupSq[g] > 0)
            {
                float gw = GroupWeight((FeatureGroup)g);
                scale[g] = gw / (float)Math.Sqrt(groupSq[g]);
                total += gw * gw;
            }
        }

        float vectorScale = 0;
        if (dense > 0)
        {
            vectorScale = Config.VectorWeight / (float)Math.Sqrt(meanSq);
            total += Config.VectorWeight * Config.VectorWeight;
        }

        float norm = total > 0 ? 1f / (float)Math.Sqrt(total) : 0f;
        for (int i = 0; i < distinct; i++)
        {
            outVal[i] *= scale[(int)NgramExtractor.GroupOf(Keys[outIdx[i]])] * norm;
        }

        for (int d = 0; d < dense; d++)
        {
            outIdx[distinct + d] = Keys.Length + d;
            outVal[distinct + d] = mean[d] * vectorScale * norm;
        }

        return new SparseVector(outIdx, outVal);
    }

    private float GroupWeight(FeatureGroup g) => g switch
    {
        FeatureGroup.Word => Config.WordWeight,
        FeatureGroup.Char => Config.CharWeight,
        FeatureGroup.CrossChar => Config.CrossWeight,
        _ => Config.StemWeight,
    };
}
