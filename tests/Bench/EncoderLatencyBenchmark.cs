using System.Diagnostics;
using System.Text.Json;
using BotEngine.Nlu;
using BotEngine.Nlu.Encoders;

namespace BotEngine.Bench;

/// <summary>
/// The sentence encoder alone, one message at a time as the engine runs it, on the messages of an intent file: time per
/// message (p50 / p90 / p99 / max) and by token count, optionally pinned to one core so another job's threads do not
/// share it. What the classifier adds on top is in <c>nlu eval</c>'s predict times.
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
        using var encoder = name == SentenceEncoders.ArcticXs ? OnnxSentenceEncoder.ArcticXs() : OnnxSentenceEncoder.MiniLm();
        var vector = new float[encoder.Dimension];
        foreach (var t in texts.Take(100))
        {
            encoder.Encode(t, vector);
        }

        var times = new double[texts.Count];
        for (int i = 0; i < texts.Count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            encoder.Encode(texts[i], vector);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        var sorted = times.Order().ToArray();
        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * q))];
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
        }));
        return 0;
    }

    private static string? Arg(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
