using System.Diagnostics;
using System.Text.Json;
using BotEngine.Nlu;

namespace BotEngine.Bench;

/// <summary>
/// The many-intents model (<see cref="NearestPhrasingTrainer"/>) on a train/test pair of intent files (the benchmark's
/// banking77, clinc150...): in-scope accuracy of the top intent, training seconds and prediction times, so its cost in
/// accuracy next to the dense ensemble's <c>nlu eval</c> figures is known.
/// </summary>
public static class NearestPhrasingBenchmark
{
    public static int Run(string[] args)
    {
        var train = TsvDataset.ToExamples(TsvDataset.Read(Arg(args, "--train")));
        var test = TsvDataset.Read(Arg(args, "--test"));
        var clock = Stopwatch.StartNew();
        var model = new NearestPhrasingTrainer(new NluOptions { Log = Console.Error.WriteLine }).Train(train);
        var trainSeconds = clock.Elapsed.TotalSeconds;
        int inScope = 0, right = 0;
        var times = new List<double>();
        foreach (var (text, label) in test)
        {
            var c = Stopwatch.StartNew();
            var prediction = model.Predict(text, 1);
            times.Add(c.Elapsed.TotalMicroseconds);
            if (label == model.OosLabel)
                continue;
            inScope++;
            right += prediction.Best?.Intent == label ? 1 : 0;
        }
        times.Sort();
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            accuracy_in_scope = Math.Round((double)right / Math.Max(1, inScope), 4),
            train_s = Math.Round(trainSeconds, 2),
            temperature = Math.Round(model.Temperature, 4),
            predict_us_p50 = Math.Round(times[times.Count / 2], 1),
            predict_us_p99 = Math.Round(times[(int)(times.Count * 0.99)], 1),
        }));
        return 0;
    }

    private static string Arg(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : throw new ArgumentException($"{name} is required");
    }
}
