using System.Diagnostics;
using System.Globalization;
using BotEngine.Engine.Knowledge;
using BotEngine.KnowledgeBase;
using BotEngine.Nlu.Encoders;

namespace BotEngine.Bot.Cli;

/// <summary>
/// <c>nlu kb-search</c>: how well the knowledge base search finds the article a labelled query means, by words alone,
/// by meaning alone and by both fused (hit@1, hit@3 and the mean reciprocal rank within the first 10).
/// </summary>
public static class KbSearchEvaluation
{
    private const int Depth = 10;

    public static int Run(string kbFile, string queriesFile, string encoderName, string? unrelatedFile, bool verbose, double? meaningWeight, int? half, TextWriter stdout)
    {
        var kb = KbJson.Parse(File.ReadAllText(kbFile));
        var queries = ReadPairs(queriesFile).Where((_, i) => half is null || i % 2 == half).ToList();
        var unknown = queries.Where(q => kb.Articles.All(a => a.Id != q.Article)).Select(q => q.Article).Distinct().ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"{queriesFile}: no article {string.Join(", ", unknown)} in {kbFile}");

        var embedder = EncoderSearchEmbedder.For(encoderName) ?? throw new ArgumentException("--encoder: minilm or arctic");
        var semantic = new SemanticKbIndex(embedder);
        var index = meaningWeight is { } weight ? new KbSearchIndex(kb, semantic) { MeaningWeight = weight } : new KbSearchIndex(kb, semantic);
        var clock = Stopwatch.StartNew();
        while (semantic.EmbedPending(256) > 0)
        {
        }
        stdout.WriteLine($"{kb.Articles.Count} articles, {semantic.Count} embedded by {embedder.Name} in {clock.ElapsedMilliseconds} ms; {queries.Count} queries");

        var rankers = new (string Name, Func<string, List<string>> Rank)[]
        {
            ("words", q => index.Search(q, null, Depth, byMeaning: false).Select(h => h.ArticleId).ToList()),
            ("meaning", q => semantic.Rank(q, _ => true, Depth, double.MinValue).Select(h => h.ArticleId).ToList()),
            ("both", q => index.Search(q, null, Depth).Select(h => h.ArticleId).ToList()),
        };
        stdout.WriteLine("ranking  hit@1   hit@3   MRR@10  ms/query");
        foreach (var (name, rank) in rankers)
        {
            int top1 = 0, top3 = 0;
            double reciprocal = 0;
            var timer = Stopwatch.StartNew();
            foreach (var (query, article) in queries)
            {
                var found = rank(query);
                var position = found.IndexOf(article);
                top1 += position == 0 ? 1 : 0;
                top3 += position is >= 0 and < 3 ? 1 : 0;
                reciprocal += position >= 0 ? 1.0 / (position + 1) : 0;
                if (verbose && position != 0)
                    stdout.WriteLine($"  {name}: '{query}' -> {(found.Count > 0 ? found[0] : "nothing")} (expected {article} at {(position < 0 ? "none" : (position + 1).ToString(CultureInfo.InvariantCulture))})");
            }
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-8} {100.0 * top1 / queries.Count,6:0.0}  {100.0 * top3 / queries.Count,6:0.0}  {reciprocal / queries.Count,6:0.000}  {timer.Elapsed.TotalMilliseconds / queries.Count,8:0.00}"));
        }

        var best = queries.Select(q => semantic.Rank(q.Query, _ => true, 1, double.MinValue).FirstOrDefault().Similarity).Order().ToList();
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"best similarity of a labelled query: min {best[0]:0.000}, median {best[best.Count / 2]:0.000} (floor {semantic.MinSimilarity:0.00})"));
        if (unrelatedFile is not null)
        {
            // Queries no article answers: their best similarity should stay under the floor.
            var unrelated = File.ReadAllLines(unrelatedFile).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
            var above = 0;
            foreach (var query in unrelated)
            {
                var top = semantic.Rank(query, _ => true, 1, double.MinValue).FirstOrDefault();
                above += top.Similarity >= semantic.MinSimilarity ? 1 : 0;
                if (verbose)
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  unrelated '{query}': {top.ArticleId} {top.Similarity:0.000}"));
            }
            stdout.WriteLine($"unrelated queries with an article at or above the floor: {above} of {unrelated.Count}");
        }
        return 0;
    }

    private static List<(string Query, string Article)> ReadPairs(string path)
    {
        var pairs = new List<(string, string)>();
        foreach (var (line, number) in File.ReadAllLines(path).Select((l, i) => (l, i + 1)))
        {
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var parts = line.Split('\t');
            if (parts.Length != 2 || parts[0].Trim().Length == 0 || parts[1].Trim().Length == 0)
                throw new ArgumentException($"{path}:{number}: expected 'query<TAB>article id'");
            pairs.Add((parts[0].Trim(), parts[1].Trim()));
        }
        if (pairs.Count == 0)
            throw new ArgumentException($"{path}: no queries");
        return pairs;
    }
}
