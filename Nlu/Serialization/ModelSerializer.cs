using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BotEngine.Nlu.Features;

namespace BotEngine.Nlu.Serialization;

/// <summary>
/// Model file: "BENLU" magic, format version, then a JSON header (metadata, feature config, labels, calibration)
/// and binary arrays (vocabulary keys, IDF, weights as half floats, biases), closed by a SHA-256 of everything
/// before it so a truncated or corrupted file is refused instead of half-loaded.
/// </summary>
public static class ModelSerializer
{
    public const int FormatVersion = 1;
    private static ReadOnlySpan<byte> Magic => "BENLU"u8;
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    private sealed record Header(
        ModelMetadata Metadata, FeatureConfig Features, string[] Labels, string OosLabel, double Temperature, double OosThreshold, int Dimension);

    public static void Save(IntentModel model, Stream stream)
    {
        using var payload = new MemoryStream();
        using (var w = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(FormatVersion);
            var header = new Header(model.Metadata with { FormatVersion = FormatVersion }, model.Vectorizer.Config, model.Labels,
                model.OosLabel, model.Temperature, model.OosThreshold, model.Vectorizer.Dimension);
            w.Write(JsonSerializer.Serialize(header, Json));
            foreach (var k in model.Vectorizer.Keys)
            {
                w.Write(k);
            }

            foreach (var v in model.Vectorizer.Idf)
            {
                w.Write(v);
            }

            foreach (var v in model.Weights)
            {
                w.Write((Half)v);
            }

            foreach (var v in model.Bias)
            {
                w.Write(v);
            }
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

    public static IntentModel Load(string path)
    {
        using var fs = File.OpenRead(path);
        return Load(fs);
    }

    public static IntentModel Load(Stream stream)
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
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"model format version {version} is not supported (expected {FormatVersion})");
        }

        var h = JsonSerializer.Deserialize<Header>(r.ReadString(), Json) ?? throw new InvalidDataException("missing header");
        int d = h.Dimension;
        var keys = new ulong[d];
        for (int i = 0; i < d; i++)
        {
            keys[i] = r.ReadUInt64();
        }

        var idf = new float[d];
        for (int i = 0; i < d; i++)
        {
            idf[i] = r.ReadSingle();
        }

        var weights = new float[(long)d * h.Labels.Length];
        for (long i = 0; i < weights.LongLength; i++)
        {
            weights[i] = (float)r.ReadHalf();
        }

        var bias = new float[h.Labels.Length];
        for (int i = 0; i < bias.Length; i++)
        {
            bias[i] = r.ReadSingle();
        }

        var vec = new TfidfVectorizer(h.Features, keys, idf);
        return new IntentModel(h.Labels, vec, weights, bias, h.Temperature, h.OosThreshold, h.OosLabel, h.Metadata);
    }
}
