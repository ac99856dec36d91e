using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace BotEngine.Nlu.Encoders;

/// <summary>
/// Embeddings of one encoder keyed by a SHA-256 of the text, so a retrain embeds only the phrasings it has not
/// seen (a knowledge-base edit changes a few of hundreds) and repeated benchmark runs embed nothing. Thread-safe;
/// <see cref="Save"/> writes a file <see cref="Load"/> reads back (an unreadable or foreign file starts empty).
/// </summary>
public sealed class EmbeddingCache
{
    private static ReadOnlySpan<byte> Magic => "BEEMB"u8;
    private const int FormatVersion = 1;
    private readonly ConcurrentDictionary<UInt128, float[]> _vectors = new();

    public EmbeddingCache(string encoderName, int dimension)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(encoderName);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        EncoderName = encoderName;
        Dimension = dimension;
    }

    public string EncoderName { get; }
    public int Dimension { get; }
    public int Count => _vectors.Count;

    /// <summary>Embeddings of <paramref name="texts"/> in order; only the texts not cached yet go to the encoder (in one batch).</summary>
    public float[][] Embed(ISentenceEncoder encoder, IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(texts);
        if (encoder.Name != EncoderName || encoder.Dimension != Dimension)
        {
            throw new ArgumentException($"the cache holds {EncoderName} embeddings, not {encoder.Name}", nameof(encoder));
        }

        var result = new float[texts.Count][];
        var missing = new List<int>();
        var keys = new UInt128[texts.Count];
        for (int i = 0; i < texts.Count; i++)
        {
            keys[i] = KeyOf(texts[i]);
            if (_vectors.TryGetValue(keys[i], out var v))
            {
                result[i] = v;
            }
            else
            {
                missing.Add(i);
            }
        }

        if (missing.Count > 0)
        {
            var fresh = encoder.EncodeBatch(missing.Select(i => texts[i]).ToArray(), cancellationToken);
            for (int j = 0; j < missing.Count; j++)
            {
                result[missing[j]] = _vectors.GetOrAdd(keys[missing[j]], fresh[j]);
            }
        }

        return result;
    }

    /// <summary>Keeps only the texts given (the phrasings of the current knowledge base), so the cache does not grow forever.</summary>
    public void RetainOnly(IEnumerable<string> texts)
    {
        var keep = texts.Select(KeyOf).ToHashSet();
        foreach (var key in _vectors.Keys)
        {
            if (!keep.Contains(key))
            {
                _vectors.TryRemove(key, out _);
            }
        }
    }

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string tmp = path + ".tmp";
        using (var w = new BinaryWriter(File.Create(tmp), Encoding.UTF8))
        {
            w.Write(Magic);
            w.Write(FormatVersion);
            w.Write(EncoderName);
            w.Write(Dimension);
            var entries = _vectors.ToArray();
            w.Write(entries.Length);
            foreach (var (key, vector) in entries)
            {
                w.Write((ulong)(key >> 64));
                w.Write((ulong)key);
                foreach (var x in vector)
                {
                    w.Write(x);
                }
            }
        }

        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>The cache saved at <paramref name="path"/>, or an empty one when there is none for this encoder.</summary>
    public static EmbeddingCache Load(string path, string encoderName, int dimension)
    {
        var cache = new EmbeddingCache(encoderName, dimension);
        if (!File.Exists(path))
        {
            return cache;
        }

        try
        {
            using var r = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
            if (!r.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic) || r.ReadInt32() != FormatVersion
                || r.ReadString() != encoderName || r.ReadInt32() != dimension)
            {
                return cache;
            }

            int n = r.ReadInt32();
            for (int i = 0; i < n; i++)
            {
                var key = ((UInt128)r.ReadUInt64() << 64) | r.ReadUInt64();
                var v = new float[dimension];
                for (int d = 0; d < dimension; d++)
                {
                    v[d] = r.ReadSingle();
                }

                cache._vectors[key] = v;
            }
        }
        catch (EndOfStreamException)
        {
            // a truncated file is a cache miss, not an error: everything is embedded again
            return new EmbeddingCache(encoderName, dimension);
        }

        return cache;
    }

    private static UInt128 KeyOf(string text)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return new UInt128(BitConverter.ToUInt64(hash), BitConverter.ToUInt64(hash[8..]));
    }
}
