using System.Globalization;
using System.Text;
using System.Text.Json;
using BotEngine.Nlu.Text;

namespace BotEngine.Nlu.Features;

/// <summary>
/// Pretrained word vectors (GloVe, fastText, word2vec), keyed by our normalised token. A message's mean vector is a
/// dense feature group: it carries what the training phrasings cannot, that "purchase" is near "buy" and "spouse"
/// near "wife", so an intent is still recognised in words its phrasings never used. Rows are stored as int8 with
/// one scale each (a quarter of the float size, the same quantisation the model file uses for weights).
/// </summary>
public sealed class WordVectors
{
    private static ReadOnlySpan<byte> Magic => "BEVEC"u8;
    private const int FormatVersion = 1;
    private readonly Dictionary<string, int> _index;

    public WordVectors(int dimension, string[] words, sbyte[] values, float[] scales)
    {
        if (dimension <= 0 || values.Length != (long)words.Length * dimension || scales.Length != words.Length)
        {
            throw new InvalidDataException("word vectors: sizes do not match");
        }

        Dimension = dimension;
        Words = words;
        Values = values;
        Scales = scales;
        _index = new Dictionary<string, int>(words.Length, StringComparer.Ordinal);
        for (int i = 0; i < words.Length; i++)
        {
            _index.TryAdd(words[i], i);
        }
    }

    public int Dimension { get; }
    public string[] Words { get; }
    public sbyte[] Values { get; }
    public float[] Scales { get; }
    public int Count => Words.Length;

    /// <summary>Writes the mean of the known tokens' vectors to <paramref name="mean"/>; false when no token is known.</summary>
    public bool Mean(IReadOnlyList<string> tokens, Span<float> mean)
    {
        mean.Clear();
        int found = 0;
        foreach (var t in tokens)
        {
            if (!_index.TryGetValue(t, out int row))
            {
                continue;
            }

            found++;
            float s = Scales[row];
            var v = Values.AsSpan(row * Dimension, Dimension);
            for (int d = 0; d < mean.Length; d++)
            {
                mean[d] += v[d] * s;
            }
        }

        return found > 0;
    }

    /// <summary>
    /// Builds from float rows, keyed by normalised token: a word that does not normalise to one token is skipped, and
    /// of two words that normalise alike the first (in frequency-ordered files, the more frequent) wins.
    /// </summary>
    public static WordVectors FromRows(IEnumerable<(string Word, float[] Vector)> rows, int maxWords, int dimensions = 0)
    {
        int dim = 0;
        var picked = new List<(string Word, float[] Vector)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (word, vector) in rows)
        {
            if (picked.Count >= maxWords)
            {
                break;
            }

            dim = dim == 0 ? vector.Length : dim;
            var tokens = TextNormalizer.Tokenize(word);
            if (vector.Length != dim || tokens.Count != 1 || tokens[0] == TextNormalizer.QuestionToken || !seen.Add(tokens[0]))
            {
                continue;
            }

            picked.Add((tokens[0], vector));
        }

        if (dimensions > 0 && dimensions < dim)
        {
            picked = PrincipalComponents.Project(picked, dimensions);
            dim = dimensions;
        }

        var words = new List<string>();
        var values = new List<sbyte>();
        var scales = new List<float>();
        foreach (var (word, vector) in picked)
        {
            float max = 0;
            foreach (var x in vector)
            {
                max = Math.Max(max, Math.Abs(x));
            }

            float scale = max > 0 ? max / 127f : 1f;
            words.Add(word);
            scales.Add(scale);
            foreach (var x in vector)
            {
                values.Add((sbyte)Math.Clamp(MathF.Round(x / scale), -127, 127));
            }
        }

        if (words.Count == 0)
        {
            throw new InvalidDataException("word vectors: no usable word in the source");
        }

        return new WordVectors(dim, [.. words], [.. values], [.. scales]);
    }

    /// <summary>
    /// Reads a source file: a text file of "word v1 v2 ..." lines (GloVe; fastText and word2vec .vec files, whose
    /// first line is a count and a dimension) or a JSON object with a "vectors" map of word to numbers (wink-embeddings).
    /// </summary>
    public static WordVectors Import(string path, int maxWords, int dimensions = 0)
    {
        using var fs = File.OpenRead(path);
        int first = fs.ReadByte();
        fs.Position = 0;
        return FromRows(first == '{' ? ReadJson(fs) : ReadText(fs), maxWords, dimensions);
    }

    private static IEnumerable<(string, float[])> ReadText(Stream s)
    {
        using var reader = new StreamReader(s, Encoding.UTF8);
        string? line;
        int lineNo = 0;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            var parts = line.TrimEnd().Split(' ');
            if (parts.Length < 3)
            {
                // the "count dimension" header of .vec files
                continue;
            }

            var v = new float[parts.Length - 1];
            for (int i = 1; i < parts.Length; i++)
            {
                if (!float.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out v[i - 1]))
                {
                    throw new InvalidDataException($"word vectors: line {lineNo} has a value that is not a number");
                }
            }

            yield return (parts[0], v);
        }
    }

    private static IEnumerable<(string, float[])> ReadJson(Stream s)
    {
        using var doc = JsonDocument.Parse(s);
        if (!doc.RootElement.TryGetProperty("vectors", out var map) || map.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException("word vectors: the JSON has no \"vectors\" object");
        }

        int dim = doc.RootElement.TryGetProperty("dimensions", out var d) && d.TryGetInt32(out int n) ? n : int.MaxValue;
        // in the object's order, which these files keep by frequency
        foreach (var p in map.EnumerateObject())
        {
            // some exports append the norm and an index after the vector: keep the first "dimensions" numbers
            var v = p.Value.EnumerateArray().Take(dim).Select(e => e.GetSingle()).ToArray();
            yield return (p.Name, v);
        }
    }

    public void Write(BinaryWriter w)
    {
        w.Write(Magic);
        w.Write(FormatVersion);
        w.Write(Dimension);
        w.Write(Count);
        foreach (var word in Words)
        {
            w.Write(word);
        }

        foreach (var s in Scales)
        {
            w.Write(s);
        }

        w.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(Values.AsSpan()));
    }

    public static WordVectors Read(BinaryReader r)
    {
        if (!r.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic) || r.ReadInt32() != FormatVersion)
        {
            throw new InvalidDataException("not a word vectors file (or an unknown version)");
        }

        int dim = r.ReadInt32();
        int count = r.ReadInt32();
        if (dim <= 0 || dim > 4096 || count <= 0 || count > 10_000_000)
        {
            throw new InvalidDataException("word vectors: implausible size");
        }

        var words = new string[count];
        for (int i = 0; i < count; i++)
        {
            words[i] = r.ReadString();
        }

        var scales = new float[count];
        for (int i = 0; i < count; i++)
        {
            scales[i] = r.ReadSingle();
        }

        var values = new sbyte[(long)count * dim];
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan());
        try
        {
            r.BaseStream.ReadExactly(bytes);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException("word vectors: truncated");
        }

        return new WordVectors(dim, words, values, scales);
    }

    public void Save(string path)
    {
        string tmp = path + ".tmp";
        using (var w = new BinaryWriter(File.Create(tmp)))
        {
            Write(w);
        }

        File.Move(tmp, path, overwrite: true);
    }

    public static WordVectors Load(string path)
    {
        using var r = new BinaryReader(File.OpenRead(path));
        return Read(r);
    }
}
