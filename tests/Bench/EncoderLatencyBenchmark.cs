using System.Diagnostics;
using System.Text.Json;
using BotEngine.Nlu;
using BotEngine.Nlu.Encoders;

namespace BotEngine.Bench;

/// <summary>
/// The sentence encoder alone, one message at a time as the engine runs it, on the messages of an intent file: time per
/// message (p50 / p90 / p99 / max) of the 8-bit encoder the engine runs, beside the float model as published, and how
/// close their embeddings are (cosine); optionally pinned to one core so another job's threads do not share it. What the
/// classifier adds on top is in <c>nlu eval</c>'s predict times.
/// </summary>
public static class EncoderLatencyBenchmark
{
    public static int Run(string[] args)
    {
        var file = Arg(args, "--test") ?? throw new ArgumentException("--test FILE is required");
        var name = Arg(args, "--encoder") ?? SentenceEncoders.MiniLm;
        if (Arg(args, "--core") is { } core && (OperatingSystem.IsLinux() || OperatingSystem.IsWindows()))
        {
            // Linux honours the affinity of the whole process: the runtime's own threads stay off the other cores too
            Process.GetCurrentProcess().ProcessorAffinity = (nint)(1L << int.Parse(core));
        }

        var texts = TsvDataset.Read(file).Select(p => p.Text).ToList();
        OnnxSentenceEncoder Load(EncoderPrecision precision) =>
            name == SentenceEncoders.ArcticXs ? OnnxSentenceEncoder.ArcticXs(precision: precision) : OnnxSentenceEncoder.MiniLm(precision: precision);
        using var encoder = Load(EncoderPrecision.Int8);
        using var reference = Load(EncoderPrecision.Float32);
        var vector = new float[encoder.Dimension];
        var exact = new float[encoder.Dimension];
        foreach (var t in texts.Take(100))
        {
            encoder.Encode(t, vector);
            reference.Encode(t, exact);
        }

        // one message at a time through each, so both meet the same moments of the machine's load
        var times = new double[texts.Count];
        var floatTimes = new double[texts.Count];
        var cosines = new double[texts.Count];
        for (int i = 0; i < texts.Count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            encoder.Encode(texts[i], vector);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            start = Stopwatch.GetTimestamp();
            reference.Encode(texts[i], exact);
            floatTimes[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            cosines[i] = System.Numerics.Tensors.TensorPrimitives.Dot(vector, exact);
        }

        var sorted = times.Order().ToArray();
        var floatSorted = floatTimes.Order().ToArray();
        var cosineSorted = cosines.Order().ToArray();
        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * q))];
        double FloatAt(double q) => floatSorted[Math.Min(floatSorted.Length - 1, (int)(floatSorted.Length * q))];
        var words = texts.Select(t => t.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length).ToArray();
        var longest = Enumerable.Range(0, texts.Count).OrderByDescending(i => words[i]).Take(Math.Max(1, texts.Count / 100)).ToArray();
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            encoder = encoder.Name,
            messages = texts.Count,
            load_average = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : null,
            ms_p50 = Math.Round(At(0.5), 2),
            ms_p90 = Math.Round(At(0.9), 2),
            ms_p99 = Math.Round(At(0.99), 2),
            ms_max = Math.Round(sorted[^1], 2),
            words_p99 = words.Order().ElementAt((int)(words.Length * 0.99)),
            longest_1pct_ms_mean = Math.Round(longest.Average(i => times[i]), 2),
            float32_ms_p50 = Math.Round(FloatAt(0.5), 2),
            float32_ms_p99 = Math.Round(FloatAt(0.99), 2),
            cosine_to_float32_mean = Math.Round(cosines.Average(), 4),
            cosine_to_float32_p1 = Math.Round(cosineSorted[(int)(cosineSorted.Length * 0.01)], 4),
            cosine_to_float32_min = Math.Round(cosineSorted[0], 4),
        }));
        return 0;
    }

    private static string? Arg(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
