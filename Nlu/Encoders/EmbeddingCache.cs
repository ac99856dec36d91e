using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace BotEngine.Nlu.Encoders;

/// <summary>
/// Embeddings of one encoder keyed by a SHA-256 of the text, so a retrain embeds only the phrasings it has not
/// seen (a knowledge-base edit changes a few of hundreds) and repeated benchmark runs embed nothing. Thread-safe.
/// The engine shares one per encoder (<see cref="EmbeddingCaches"/>) and keeps its vectors in an
/// <see cref="IEmbeddingStore"/>: <see cref="Import"/> fills it from there, and <see cref="EmbeddedSince"/> hands out
/// only what the encoder added, for the store to write. The command line uses a file instead (<see cref="Save"/>,
/// <see cref="Load"/>: an unreadable or foreign file starts empty).
/// </summary>
public sealed class EmbeddingCache
{
    private static ReadOnlySpan<byte> Magic => "BEEMB"u8;
    // 2: vectors of the 8-bit encoders (WeightQuantizer); files of the float ones are embedded again
    private const int FormatVersion = 2;
    private readonly ConcurrentDictionary<UInt128, float[]> _vectors = new();
    private readonly Lock _embeddedLock = new();
    // What the encoder added, in order: append-only, so a reader's position stays valid (see EmbeddedSince).
    private readonly List<StoredEmbedding> _embedded = [];

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

    /// <summary>How many vectors the encoder has added to this cache (not those imported or loaded): a position for <see cref="EmbeddedSince"/>.</summary>
    public int EmbeddedCount
    {
        get
        {
            lock (_embeddedLock)
            {
                return _embedded.Count;
            }
        }
    }

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
        var keys = new UInt128[texts.Count];
        var missing = new Dictionary<UInt128, List<int>>();
        for (int i = 0; i < texts.Count; i++)
        {
            keys[i] = KeyOf(texts[i]);
            if (_vectors.TryGetValue(keys[i], out var v))
            {
                result[i] = v;
            }
            else if (missing.TryGetValue(keys[i], out var same))
            {
                same.Add(i);
            }
            else
            {
                missing[keys[i]] = [i];
            }
        }

        if (missing.Count > 0)
        {
            // each distinct text once, however often it is asked for
            var wanted = missing.Values.ToArray();
            var fresh = encoder.EncodeBatch(wanted.Select(w => texts[w[0]]).ToArray(), cancellationToken);
            var added = new List<StoredEmbedding>(wanted.Length);
            for (int j = 0; j < wanted.Length; j++)
            {
                var key = keys[wanted[j][0]];
                var vector = fresh[j];
                if (_vectors.TryAdd(key, vector))
                {
                    added.Add(new StoredEmbedding(key, vector));
                }
                else
                {
                    // another thread embedded the same text meanwhile: the vector already cached wins (entries are never removed)
                    vector = _vectors[key];
                }

                foreach (int i in wanted[j])
                {
                    result[i] = vector;
                }
            }

            lock (_embeddedLock)
            {
                _embedded.AddRange(added);
            }
        }

        return result;
    }

    /// <summary>
    /// Adds embeddings computed before (read from a store) without counting them as the encoder's; one whose key is
    /// cached already or whose length is not <see cref="Dimension"/> is skipped. Returns how many were added.
    /// </summary>
    public int Import(IEnumerable<StoredEmbedding> embeddings)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        int added = 0;
        foreach (var e in embeddings)
        {
            if (e.Vector?.Length == Dimension && _vectors.TryAdd(e.Key, e.Vector))
            {
                added++;
            }
        }

        return added;
    }

    /// <summary>
    /// The vectors the encoder added after the first <paramref name="position"/> (an earlier <see cref="EmbeddedCount"/>),
    /// in order: a store that wrote up to a position writes only what is new. The next position is
    /// <paramref name="position"/> plus the count returned.
    /// </summary>
    public IReadOnlyList<StoredEmbedding> EmbeddedSince(int position)
    {
        lock (_embeddedLock)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(position);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(position, _embedded.Count);
            return _embedded.GetRange(position, _embedded.Count - position);
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

    /// <summary>The key of a text: the first 16 bytes of the SHA-256 of its UTF-8 (<see cref="StoredEmbedding.KeyBytes"/> gives them back).</summary>
    public static UInt128 KeyOf(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return new UInt128(BinaryPrimitives.ReadUInt64LittleEndian(hash), BinaryPrimitives.ReadUInt64LittleEndian(hash[8..]));
    }
}
