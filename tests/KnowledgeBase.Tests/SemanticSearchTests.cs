namespace BotEngine.KnowledgeBase.Tests;

/// <summary>
/// The search by meaning and its fusion with the search by words, over an embedder whose "meaning" is a small table of
/// synonyms: each concept is one dimension, so which texts are close is known exactly. The real encoders are tested in
/// Nlu.Tests and through the engine's API in Bot.Tests.
/// </summary>
public sealed class SemanticSearchTests
{
    private static readonly string[][] Concepts =
    [
        ["atm", "cash", "machine", "banknotes"],
        ["swallowed", "kept", "ate", "eaten", "retained"],
        ["card", "debit"],
        ["mortgage", "home", "flat", "house"],
        ["loan", "credit", "borrow"],
        ["rate", "rates", "interest"],
        ["opening", "hours", "open", "time"],
    ];

    private sealed class SynonymEmbedder : ISearchEmbedder
    {
        public int Calls { get; private set; }

        public double MinSimilarity => 0.3;

        public bool Covers(string text) => text.Any(c => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z');

        public float[] EmbedQuery(string query) => Embed(query);

        public float[][] EmbedTexts(IReadOnlyList<string> texts, CancellationToken cancellationToken)
        {
            Calls++;
            return texts.Select(Embed).ToArray();
        }

        private static float[] Embed(string text)
        {
            var v = new float[Concepts.Length];
            foreach (var word in TextAnalyzer.Words(text))
                for (var c = 0; c < Concepts.Length; c++)
                    v[c] += Concepts[c].Contains(word) ? 1 : 0;
            var norm = MathF.Sqrt(v.Sum(x => x * x));
            return norm == 0 ? v : v.Select(x => x / norm).ToArray();
        }
    }

    private static Article En(string id, string title, params string[] questions) =>
        new() { Id = id, Title = title, Questions = [.. questions], Access = new ArticleAccess { Languages = ["en"] } };

    private static KbDocument Kb() => new()
    {
        Articles =
        [
            En("atm_problem", "Problem with an ATM", "The ATM swallowed my card", "ATM kept my card"),
            En("mortgage", "Mortgage", "What are your mortgage rates?", "How do I get a mortgage?"),
            En("loan", "Personal loan", "How do I get a loan?", "What is the interest on a cash loan?"),
            En("hours", "Opening hours", "What are your opening hours?"),
            new Article { Id = "atm_ru", Title = "Банкомат", Questions = ["Банкомат съел карту"], Access = new ArticleAccess { Languages = ["ru"] } },
        ],
    };

    private static (KbSearchIndex Index, SemanticKbIndex Semantic, SynonymEmbedder Embedder) Build()
    {
        var embedder = new SynonymEmbedder();
        var semantic = new SemanticKbIndex(embedder);
        return (new KbSearchIndex(Kb(), semantic), semantic, embedder);
    }

    private static void EmbedAll(SemanticKbIndex semantic)
    {
        while (semantic.EmbedPending(100) > 0)
        {
        }
    }

    [Fact]
    public void A_query_in_other_words_is_found_by_meaning_once_the_articles_are_embedded()
    {
        var (index, semantic, _) = Build();
        // "machine ate it" shares no word with the ATM article: by words alone there is nothing
        Assert.Empty(index.Search("machine ate it"));
        Assert.Equal(4, semantic.PendingCount);
        Assert.True(semantic.WhenQueuedAsync(CancellationToken.None).IsCompleted);

        EmbedAll(semantic);
        Assert.Equal(0, semantic.PendingCount);
        Assert.Equal(4, semantic.Count);
        var hit = index.Search("machine ate it")[0];
        Assert.Equal("atm_problem", hit.ArticleId);
        Assert.Equal("Problem with an ATM", hit.Title);
        Assert.Empty(index.Search("machine ate it", byMeaning: false));
    }

    [Fact]
    public void An_article_first_by_both_rankings_beats_one_first_by_words_alone()
    {
        var (index, semantic, _) = Build();
        EmbedAll(semantic);
        // By words "home loan rates" matches the loan article on "loan" and the mortgage article on "rates"; by meaning
        // the mortgage article ("home", "rates") is nearer.
        var byWords = index.Search("home loan rates", byMeaning: false).Select(h => h.ArticleId).ToList();
        var fused = index.Search("home loan rates").Select(h => h.ArticleId).ToList();
        Assert.Equal("mortgage", fused[0]);
        Assert.Equal(byWords.ToHashSet(), fused.Where(byWords.Contains).ToHashSet());
        Assert.True(fused.IndexOf("mortgage") <= byWords.IndexOf("mortgage"));
    }

    [Fact]
    public void A_russian_query_is_searched_by_words_only_and_filters_hold_for_meaning_hits()
    {
        var (index, semantic, _) = Build();
        EmbedAll(semantic);
        Assert.Equal("atm_ru", index.Search("банкомат").Single().ArticleId);
        Assert.False(semantic.Covers("банкомат"));
        Assert.Empty(semantic.Rank("банкомат", _ => true, 10, double.MinValue));
        // the Russian article has no English text to embed
        Assert.Equal(4, semantic.Count);
        Assert.Empty(index.Search("machine ate it", new KbSearchFilter { Language = "ru" }));
    }

    [Fact]
    public void Unrelated_queries_stay_under_the_floor()
    {
        var (index, semantic, _) = Build();
        EmbedAll(semantic);
        Assert.Empty(index.Search("best pizza recipe"));
    }

    [Fact]
    public void A_saved_article_is_embedded_again_and_a_removed_one_is_gone_from_the_meaning_ranking()
    {
        var (index, semantic, embedder) = Build();
        EmbedAll(semantic);
        var calls = embedder.Calls;

        index.Upsert(En("hours", "Opening hours", "When do you open?", "Is the cash machine open at night?"));
        Assert.Equal(1, semantic.PendingCount);
        // until embedded again, the old texts serve
        Assert.DoesNotContain(semantic.Rank("cash machine at night", _ => true, 10, 0.5), r => r.ArticleId == "hours");
        EmbedAll(semantic);
        Assert.Equal(calls + 1, embedder.Calls);
        Assert.Contains(semantic.Rank("cash machine at night", _ => true, 10, 0.5), r => r.ArticleId == "hours");

        index.Remove("atm_problem");
        Assert.DoesNotContain(index.Search("machine ate it"), h => h.ArticleId == "atm_problem");
        Assert.Equal(3, semantic.Count);
    }

    [Fact]
    public async Task An_article_saved_again_while_its_batch_embeds_keeps_its_newer_texts_queued()
    {
        var embedder = new BlockingEmbedder();
        var semantic = new SemanticKbIndex(embedder);
        var index = new KbSearchIndex(new KbDocument { Articles = [En("hours", "Opening hours", "When do you open?")] }, semantic);
        var embedding = Task.Run(() => semantic.EmbedPending(100));
        Assert.True(embedder.Started.Wait(TimeSpan.FromSeconds(10)));
        index.Upsert(En("hours", "Opening hours", "What time do you close?"));
        embedder.Release.Set();
        Assert.Equal(0, await embedding);
        Assert.Equal(1, semantic.PendingCount);
        Assert.Equal(1, semantic.EmbedPending(100));
    }

    private sealed class BlockingEmbedder : ISearchEmbedder
    {
        public ManualResetEventSlim Started { get; } = new();
        public ManualResetEventSlim Release { get; } = new();
        public double MinSimilarity => 0;
        public bool Covers(string text) => true;
        public float[] EmbedQuery(string query) => [1];

        public float[][] EmbedTexts(IReadOnlyList<string> texts, CancellationToken cancellationToken)
        {
            Started.Set();
            Release.Wait(cancellationToken);
            return texts.Select(_ => new float[] { 1 }).ToArray();
        }
    }
}
