using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BotEngine.Nlu.Encoders;
using BotEngine.Nlu.Features;
using BotEngine.Nlu.Training;

namespace BotEngine.Nlu.Serialization;

/// <summary>
/// Model file: "BENLU" magic, format version, then a JSON header (metadata, feature config, labels, calibration)
/// and binary arrays (vocabulary keys, IDF, weights as half floats, biases), closed by a SHA-256 of everything
/// before it so a truncated or corrupted file is refused instead of half-loaded.
/// </summary>
public static class ModelSerializer
{
    /// <summary>2 added word vectors (after the networks), 3 the sentence encoder's name; older files still load.</summary>
    public const int FormatVersion = 3;
    private static ReadOnlySpan<byte> Magic => "BENLU"u8;
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private sealed record Header(
        ModelMetadata Metadata, FeatureConfig Features, string[] Labels, string OosLabel, double Temperature, double OosThreshold, int Dimension,
        bool HasLinear, int[] NetworkHidden, IsotonicMap? Isotonic, int VectorDimension = 0,
        string? Encoder = null, int EncoderDimension = 0);

    public static void Save(IntentModel model, Stream stream)
    {
        using var payload = new MemoryStream();
        using (var w = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(FormatVersion);
            var header = new Header(model.Metadata with { FormatVersion = FormatVersion }, model.Vectorizer.Config, model.Labels,
                model.OosLabel, model.Temperature, model.OosThreshold, model.Vectorizer.Dimension,
                model.Weights.Length > 0, model.Networks.Select(n => n.Hidden).ToArray(), model.Isotonic,
                model.Vectorizer.Vectors?.Dimension ?? 0, model.Vectorizer.Encoder?.Name, model.Vectorizer.Encoder?.Dimension ?? 0);
            w.Write(JsonSerializer.Serialize(header, Json));
            foreach (var k in model.Vectorizer.Keys)
            {
                w.Write(k);
            }

            foreach (var v in model.Vectorizer.Idf)
            {
                w.Write(v);
            }

            WriteRowsInt8(w, model.Weights, model.Labels.Length);
            foreach (var v in model.Bias)
            {
                w.Write(v);
            }

            foreach (var net in model.Networks)
            {
                WriteRowsInt8(w, net.W1, net.B1.Length);
                WriteFloats(w, net.B1);
                WriteHalves(w, net.W2);
                WriteFloats(w, net.B2);
            }

            model.Vectorizer.Vectors?.Write(w);
        }

        payload.Position = 0;
        var hash = SHA256.HashData(payload);
        payload.Position = 0;
        payload.CopyTo(stream);
        stream.Write(hash);
    }

    public static void Save(IntentModel model, string path)
    {
        // write then rename so a reader (hot reload) never sees a half-written file
        string tmp = path + ".tmp";
        using (var fs = File.Create(tmp))
        {
            Save(model, fs);
        }

        File.Move(tmp, path, overwrite: true);
    }

    /// <param name="encoders">Gives the sentence encoder a model file names (default: <see cref="SentenceEncoders.Shared"/>).</param>
    public static IntentModel Load(string path, Func<string, ISentenceEncoder>? encoders = null)
    {
        using var fs = File.OpenRead(path);
        return Load(fs, encoders);
    }

    /// <param name="encoders">Gives the sentence encoder a model file names (default: <see cref="SentenceEncoders.Shared"/>).</param>
    public static IntentModel Load(Stream stream, Func<string, ISentenceEncoder>? encoders = null)
    {
        using var ms = new MemoryStream();
        stream.CopyTo(ms);
        var all = ms.GetBuffer().AsSpan(0, (int)ms.Length);
        if (all.Length < Magic.Length + 4 + 32 || !all.StartsWith(Magic))
        {
            throw new InvalidDataException("not a BotEngine NLU model file");
        }

        var body = all[..^32];
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(all[^32..]))
        {
            throw new InvalidDataException("model file checksum mismatch (truncated or corrupted)");
        }

        ms.Position = Magic.Length;
        using var r = new BinaryReader(ms, Encoding.UTF8, leaveOpen: true);
        int version = r.ReadInt32();
        if (version is < 1 or > FormatVersion)
        {
            throw new InvalidDataException($"model format version {version} is not supported (expected {FormatVersion})");
        }

        var h = JsonSerializer.Deserialize<Header>(r.ReadString(), Json) ?? throw new InvalidDataException("missing header");
        int d = h.Dimension;
        int vocabulary = d - h.VectorDimension - h.EncoderDimension;
        var keys = new ulong[vocabulary];
        for (int i = 0; i < vocabulary; i++)
        {
            keys[i] = r.ReadUInt64();
        }

        var idf = new float[vocabulary];
        for (int i = 0; i < vocabulary; i++)
        {
            idf[i] = r.ReadSingle();
        }

        int k = h.Labels.Length;
        var weights = ReadRowsInt8(r, h.HasLinear ? d : 0, k);
        var bias = ReadFloats(r, k);
        var nets = new List<SoftmaxMlp>();
        foreach (int hidden in h.NetworkHidden)
        {
            int first = hidden > 0 ? hidden : k;
            var w1 = ReadRowsInt8(r, d, first);
            var b1 = ReadFloats(r, first);
            var w2 = ReadHalves(r, hidden > 0 ? hidden * k : 0);
            var b2 = ReadFloats(r, hidden > 0 ? k : 0);
            nets.Add(new SoftmaxMlp(d, hidden, k, w1, b1, w2, b2));
        }

        var vectors = h.VectorDimension > 0 ? WordVectors.Read(r) : null;
        if (vectors is not null && vectors.Dimension != h.VectorDimension)
        {
            throw new InvalidDataException("model file: word vectors do not match the header");
        }

        ISentenceEncoder? encoder = null;
        if (h.Encoder is not null)
        {
            encoder = (encoders ?? SentenceEncoders.Shared)(h.Encoder);
            if (encoder.Dimension != h.EncoderDimension)
            {
                throw new InvalidDataException($"model file: encoder {h.Encoder} gives {encoder.Dimension} dimensions, the model was trained on {h.EncoderDimension}");
            }
        }

        var vec = new TfidfVectorizer(h.Features, keys, idf, vectors, encoder);
        return new IntentModel(h.Labels, vec, weights, bias, h.Temperature, h.OosThreshold, h.OosLabel, h.Metadata, nets, h.Isotonic);
    }

    /// <summary>
    /// Feature rows as signed bytes with one float scale per row: a quarter of the float size, and the rounding
    /// error (under 0.4% of a row's largest weight) does not move predictions measurably.
    /// </summary>
    private static void WriteRowsInt8(BinaryWriter w, float[] values, int rowLength)
    {
        var buf = new byte[rowLength];
        for (long start = 0; start < values.LongLength; start += rowLength)
        {
            var row = values.AsSpan((int)start, rowLength);
            float max = MathF.Abs(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(row));
            float scale = max > 0 ? max / 127f : 0f;
            w.Write(scale);
            for (int i = 0; i < rowLength; i++)
            {
                buf[i] = (byte)(sbyte)(scale > 0 ? Math.Round(row[i] / scale) : 0);
            }

            w.Write(buf);
        }
    }

    private static float[] ReadRowsInt8(BinaryReader r, int rows, int rowLength)
    {
        var a = new float[(long)rows * rowLength];
        for (int row = 0; row < rows; row++)
        {
            float scale = r.ReadSingle();
            var bytes = r.ReadBytes(rowLength);
            if (bytes.Length != rowLength)
            {
                throw new InvalidDataException("model file ends early");
            }

            for (int i = 0; i < rowLength; i++)
            {
                a[(long)row * rowLength + i] = (sbyte)bytes[i] * scale;
            }
        }

        return a;
    }

    private static void WriteHalves(BinaryWriter w, float[] values)
    {
        foreach (var v in values)
        {
            w.Write((Half)v);
        }
    }

    private static void WriteFloats(BinaryWriter w, float[] values)
    {
        foreach (var v in values)
        {
            w.Write(v);
        }
    }

    private static float[] ReadHalves(BinaryReader r, long n)
    {
        var a = new float[n];
        for (long i = 0; i < n; i++)
        {
            a[i] = (float)r.ReadHalf();
        }

        return a;
    }

    private static float[] ReadFloats(BinaryReader r, int n)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++)
        {
            a[i] = r.ReadSingle();
        }

        return a;
    }
}
