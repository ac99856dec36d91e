using System.Buffers.Binary;

namespace BotEngine.Nlu.Encoders;

/// <summary>
/// One cached embedding as an <see cref="IEmbeddingStore"/> keeps it: the text's key (<see cref="EmbeddingCache.KeyOf"/>)
/// and its vector. In bytes the key is the first 16 bytes of the SHA-256 of the text's UTF-8, and the vector its floats
/// in little-endian order, so a stored row reads the same on any machine.
/// </summary>
public readonly record struct StoredEmbedding(UInt128 Key, float[] Vector)
{
    public const int KeyLength = 16;

    public byte[] KeyBytes()
    {
        var bytes = new byte[KeyLength];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)(Key >> 64));
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), (ulong)Key);
        return bytes;
    }

    public byte[] VectorBytes()
    {
        var bytes = new byte[Vector.Length * sizeof(float)];
        for (int i = 0; i < Vector.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), Vector[i]);
        }

        return bytes;
    }

    /// <summary>The key a stored key's bytes stand for; false unless there are exactly 16.</summary>
    public static bool TryReadKey(ReadOnlySpan<byte> key, out UInt128 value)
    {
        value = default;
        if (key.Length != KeyLength)
        {
            return false;
        }

        value = new UInt128(BinaryPrimitives.ReadUInt64LittleEndian(key), BinaryPrimitives.ReadUInt64LittleEndian(key[8..]));
        return true;
    }

    /// <summary>
    /// The embedding stored as these bytes; false for a key that is not 16 bytes, a vector that is not
    /// <paramref name="dimension"/> floats, or a float that is not finite (a damaged row is a cache miss, not an error).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> key, ReadOnlySpan<byte> vector, int dimension, out StoredEmbedding embedding)
    {
        embedding = default;
        if (dimension < 1 || vector.Length != dimension * sizeof(float) || !TryReadKey(key, out var k))
        {
            return false;
        }

        var v = new float[dimension];
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = BinaryPrimitives.ReadSingleLittleEndian(vector[(i * sizeof(float))..]);
            if (!float.IsFinite(v[i]))
            {
                return false;
            }
        }

        embedding = new StoredEmbedding(k, v);
        return true;
    }
}
