using System.Security.Cryptography;
using System.Text;
using BotEngine.Nlu.Encoders;

namespace BotEngine.Nlu.Tests;

public sealed class EmbeddingCacheTests
{
    /// <summary>A 4-dimensional encoder that needs no model: each text's vector comes from its hash; it notes what it was asked.</summary>
    private sealed class HashEncoder : ISentenceEncoder
    {
        public List<string> Asked { get; } = [];
        public string Name => "hash";
        public int Dimension => 4;
        public bool Covers(IEnumerable<string> texts) => true;

        public void Encode(string text, Span<float> embedding)
        {
            lock (Asked)
            {
                Asked.Add(text);
            }

            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
            for (int i = 0; i < embedding.Length; i++)
            {
                embedding[i] = hash[i] / 255f;
            }
        }

        public float[][] EncodeBatch(IReadOnlyList<string> texts, CancellationToken cancellationToken = default) =>
            texts.Select(t =>
            {
                var v = new float[Dimension];
                Encode(t, v);
                return v;
            }).ToArray();
    }

    private static StoredEmbedding Stored(string text, params float[] vector) => new(EmbeddingCache.KeyOf(text), vector);

    [Fact]
    public void The_cache_hands_out_only_what_the_encoder_added_since_the_position_given()
    {
        var encoder = new HashEncoder();
        var cache = new EmbeddingCache(encoder.Name, encoder.Dimension);
        Assert.Equal(2, cache.Import([Stored("a", 1, 0, 0, 0), Stored("b", 0, 1, 0, 0)]));
        // imported vectors came from a store: nothing to write back
        Assert.Equal(0, cache.EmbeddedCount);
        Assert.Empty(cache.EmbeddedSince(0));

        var first = cache.Embed(encoder, ["a", "c", "c", "d"]);
        Assert.Equal(["c", "d"], encoder.Asked);
        Assert.Equal([1f, 0, 0, 0], first[0]);
        Assert.Same(first[1], first[2]);
        var added = cache.EmbeddedSince(0);
        Assert.Equal([EmbeddingCache.KeyOf("c"), EmbeddingCache.KeyOf("d")], added.Select(e => e.Key));
        Assert.Same(first[1], added[0].Vector);
        Assert.Equal(2, cache.EmbeddedCount);

        cache.Embed(encoder, ["b", "c", "e"]);
        Assert.Equal(["c", "d", "e"], encoder.Asked);
        Assert.Equal([EmbeddingCache.KeyOf("e")], cache.EmbeddedSince(2).Select(e => e.Key));
        Assert.Empty(cache.EmbeddedSince(3));
        Assert.Equal(5, cache.Count);

        // a key already cached, or a vector of another length, is not imported
        Assert.Equal(0, cache.Import([Stored("e", 9, 9, 9, 9), Stored("f", 1, 2, 3), new StoredEmbedding(EmbeddingCache.KeyOf("g"), null!)]));
        Assert.Equal(5, cache.Count);
        Assert.NotEqual(9f, cache.Embed(encoder, ["e"])[0][0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.EmbeddedSince(4));
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.EmbeddedSince(-1));
    }

    [Fact]
    public void Stored_bytes_are_the_hash_prefix_and_little_endian_floats_and_a_damaged_row_is_a_miss()
    {
        var e = Stored("how do I reset my password", 1f, -0.5f, 0.25f, 0f);
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes("how do I reset my password"))[..16], e.KeyBytes());
        var bytes = e.VectorBytes();
        Assert.Equal([0, 0, 0x80, 0x3f], bytes[..4]);
        Assert.True(StoredEmbedding.TryRead(e.KeyBytes(), bytes, 4, out var back));
        Assert.Equal(e.Key, back.Key);
        Assert.Equal(e.Vector, back.Vector);

        Assert.False(StoredEmbedding.TryRead(e.KeyBytes(), bytes, 3, out _));
        Assert.False(StoredEmbedding.TryRead(e.KeyBytes(), bytes[..15], 4, out _));
        Assert.False(StoredEmbedding.TryRead(e.KeyBytes()[..15], bytes, 4, out _));
        Assert.False(StoredEmbedding.TryRead([], [], 0, out _));
        var nan = (byte[])bytes.Clone();
        BitConverter.TryWriteBytes(nan.AsSpan(4), float.NaN);
        Assert.False(StoredEmbedding.TryRead(e.KeyBytes(), nan, 4, out _));
    }

    [Fact]
    public void Each_encoder_has_one_cache_of_its_known_dimension()
    {
        var caches = new EmbeddingCaches();
        var minilm = caches.For(SentenceEncoders.MiniLm);
        Assert.Same(minilm, caches.For(SentenceEncoders.MiniLm));
        Assert.NotSame(minilm, caches.For(SentenceEncoders.ArcticXs));
        Assert.Equal((SentenceEncoders.MiniLm, 384), (minilm.EncoderName, minilm.Dimension));
        Assert.NotSame(minilm, new EmbeddingCaches().For(SentenceEncoders.MiniLm));
        Assert.Contains("e5", Assert.Throws<ArgumentException>(() => caches.For("e5")).Message);
    }
}
