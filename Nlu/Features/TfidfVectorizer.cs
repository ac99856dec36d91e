using BotEngine.Nlu.Encoders;
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

    public TfidfVectorizer(FeatureConfig config, ulong[] keys, float[] idf, WordVectors? vectors = null, ISentenceEncoder? encoder = null)
    {
        if (keys.Length != idf.Length)
        {
            throw new ArgumentException("keys and idf differ in length");
        }

        Config = config;
        Keys = keys;
        Idf = idf;
        Vectors = vectors;
        Encoder = encoder;
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

    /// <summary>Optional sentence encoder; the message's embedding fills the last <c>Encoder.Dimension</c> features.</summary>
    public ISentenceEncoder? Encoder { get; }

    public int Dimension => Keys.Length + (Vectors?.Dimension ?? 0) + (Encoder?.Dimension ?? 0);

    public static TfidfVectorizer Fit(
        IReadOnlyList<IReadOnlyList<string>> docs, FeatureConfig config, WordVectors? vectors = null, ISentenceEncoder? encoder = null)
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

        return new TfidfVectorizer(config, kept, idf, vectors, encoder);
    }

    /// <summary>The feature row of a message (with an encoder that covers its language, this runs it: a few milliseconds).</summary>
    public SparseVector Transform(string text)
    {
        var tokens = TextNormalizer.Tokenize(text);
        // a message in a language the encoder does not know (Russian to an English vocabulary) keeps its n-grams only,
        // as such phrasings did in training, and costs no encoder run
        if (Encoder is null || !Encoder.Covers([text]))
        {
            return Transform(tokens);
        }

        Span<float> embedding = Encoder.Dimension <= 1024 ? stackalloc float[Encoder.Dimension] : new float[Encoder.Dimension];
        Encoder.Encode(text, embedding);
        return Transform(tokens, embedding);
    }

    /// <param name="embedding">The message's sentence embedding when the vectorizer has an encoder (computed in a batch
    /// at training); empty or all zeros adds no encoder features.</param>
    public SparseVector Transform(IReadOnlyList<string> tokens, ReadOnlySpan<float> embedding = default)
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

        int encoderDims = Encoder?.Dimension ?? 0;
        if (encoderDims > 0 && embedding.Length != 0 && embedding.Length != encoderDims)
        {
            throw new ArgumentException($"the embedding has {embedding.Length} values, the encoder {encoderDims}", nameof(embedding));
        }

        double embSq = encoderDims > 0 && embedding.Length == encoderDims ? System.Numerics.Tensors.TensorPrimitives.SumOfSquares(embedding) : 0;
        if (idx.Count == 0 && meanSq == 0 && embSq == 0)
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
        int encoded = embSq > 0 ? encoderDims : 0;
        var outIdx = new int[distinct + dense + encoded];
        var outVal = new float[distinct + dense + encoded];
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

        float encoderScale = 0;
        if (encoded > 0)
        {
            encoderScale = Config.EncoderWeight / (float)Math.Sqrt(embSq);
            total += Config.EncoderWeight * Config.EncoderWeight;
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

        // the encoder's features come after the word vectors' (whose slots exist even when no word was known)
        for (int d = 0; d < encoded; d++)
        {
            outIdx[distinct + dense + d] = Keys.Length + dims + d;
            outVal[distinct + dense + d] = embedding[d] * encoderScale * norm;
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
