namespace BotEngine.KnowledgeBase;

/// <summary>
/// In-memory full-text index over article titles, questions and answers: Russian and English stemming, typo
/// tolerance (edit distance on stems), prefix matching of the word being typed, BM25-style ranking with field
/// weights. Thread-safe; <see cref="Upsert"/> makes a saved article searchable at once. Each engine node keeps
/// its own index: build it from storage at start and upsert/remove on every save. With a <see cref="SemanticKbIndex"/>,
/// a query its embedder covers is also ranked by meaning, and the two rankings are fused by reciprocal rank, so an
/// article phrased in other words than the query is found too.
/// </summary>
public sealed class KbSearchIndex
{
    private const double TitleWeight = 3, QuestionWeight = 2, AnswerWeight = 1;
    private const double TypoPenalty = 0.6, PrefixPenalty = 0.5;

    // Reciprocal rank fusion's constant (Cormack et al. 2009): a rank r counts 1 / (60 + r), so neither ranking's
    // scale matters and an article high in both beats one at the top of only one.
    private const int FusionK = 60;
    private const int SemanticDepth = 50;

    private sealed record Entry(Article Article, Dictionary<string, double> Terms, double Length, string Snippet, List<string> Words);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _postings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _words = new(StringComparer.Ordinal);
    private double _totalLength;
    private long _version;

    public KbSearchIndex(KbDocument? kb = null, SemanticKbIndex? semantic = null)
    {
        Semantic = semantic;
        if (kb is not null)
            Rebuild(kb);
    }

    /// <summary>
    /// How much a rank by meaning counts against the same rank by words in the fusion. 3 was chosen on half of the demo
    /// KB's labelled queries (training-data/kb-search-queries.tsv, the 1st, 3rd, 5th...: mean reciprocal rank 0.939 at
    /// 1, 0.956 at 2, 0.961 at 3 and 5) and gave 0.978 on the other half, where words alone gave 0.928
    /// (<c>nlu kb-search --half 0|1 --meaning-weight W</c>).
    /// </summary>
    public double MeaningWeight { get; init; } = 3;

    /// <summary>The ranking by meaning, when the installation has an encoder for it.</summary>
    public SemanticKbIndex? Semantic { get; }

    public int Count
    {
        get { lock (_lock) return _entries.Count; }
    }

    /// <summary>Changes whenever an article is added, replaced or removed: results kept from an older version are stale.</summary>
    public long Version
    {
        get { lock (_lock) return _version; }
    }

    public void Rebuild(KbDocument kb)
    {
        if (Semantic is not null)
        {
            Semantic.Clear();
            foreach (var article in kb.Articles)
                Semantic.Upsert(article);
        }
        lock (_lock)
        {
            _entries.Clear();
            _postings.Clear();
            _words.Clear();
            _totalLength = 0;
            foreach (var article in kb.Articles)
                Add(article);
            _version++;
        }
    }

    /// <summary>Adds or replaces one article (the index keeps its own copy).</summary>
    public void Upsert(Article article)
    {
        var copy = KbJson.Clone(article);
        Semantic?.Upsert(copy);
        lock (_lock)
        {
            RemoveLocked(copy.Id);
            Add(copy);
            _version++;
        }
    }

    public bool Remove(string articleId)
    {
        Semantic?.Remove(articleId);
        lock (_lock)
        {
            _version++;
            return RemoveLocked(articleId);
        }
    }

    /// <summary>
    /// Articles for <paramref name="query"/>, best first. By words, and also by meaning when <paramref name="byMeaning"/>
    /// and the semantic index covers the query; a hit's score then is its fused rank score. Scores order the hits of one
    /// search and are not comparable across searches.
    /// </summary>
    public IReadOnlyList<KbSearchHit> Search(string query, KbSearchFilter? filter = null, int limit = 10, bool byMeaning = true)
    {
        if (limit <= 0 || string.IsNullOrWhiteSpace(query))
            return [];
        // nothing embedded yet (or no English at all): no need to embed the query
        if (!byMeaning || Semantic is null || Semantic.Count == 0 || !Semantic.Covers(query))
            return SearchWords(query, filter, limit);

        var byWords = SearchWords(query, filter, int.MaxValue);
        Func<string, bool> passes = _ => true;
        if (filter is not null)
        {
            HashSet<string> allowed;
            lock (_lock)
                allowed = _entries.Where(e => Passes(e.Value.Article, filter)).Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
            passes = allowed.Contains;
        }
        var bySense = Semantic.Rank(query, passes, SemanticDepth, Semantic.MinSimilarity);
        if (bySense.Count == 0)
            return byWords.Take(limit).ToList();

        var fused = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < byWords.Count; i++)
            fused[byWords[i].ArticleId] = 1.0 / (FusionK + i + 1);
        for (var i = 0; i < bySense.Count; i++)
            fused[bySense[i].ArticleId] = fused.GetValueOrDefault(bySense[i].ArticleId) + MeaningWeight / (FusionK + i + 1);
        var hits = byWords.ToDictionary(h => h.ArticleId, StringComparer.Ordinal);
        var result = new List<KbSearchHit>();
        lock (_lock)
        {
            foreach (var (id, score) in fused.OrderByDescending(f => f.Value).ThenBy(f => f.Key, StringComparer.Ordinal))
            {
                if (result.Count >= limit)
                    break;
                // An article removed since the semantic ranking is skipped.
                if (hits.TryGetValue(id, out var hit))
                    result.Add(hit with { Score = Math.Round(score * FusionK, 4) });
                else if (_entries.TryGetValue(id, out var entry))
                    result.Add(new KbSearchHit(id, entry.Article.Title, entry.Article.RecordType, Math.Round(score * FusionK, 4), entry.Snippet));
            }
        }
        return result;
    }

    private List<KbSearchHit> SearchWords(string query, KbSearchFilter? filter, int limit)
    {
        var words = TextAnalyzer.Words(query).ToList();
        if (words.Count == 0)
            return [];
        // The last word may be unfinished while the user types.
        var lastIsPartial = query.Length > 0 && !char.IsWhiteSpace(query[^1]);
        lock (_lock)
        {
            if (_entries.Count == 0)
                return [];
            var average = _totalLength / _entries.Count;
            var scores = new Dictionary<string, (double Score, int Matched)>(StringComparer.Ordinal);
            for (var i = 0; i < words.Count; i++)
            {
                var best = new Dictionary<string, double>(StringComparer.Ordinal);
                foreach (var (stem, weight) in Expand(words[i], lastIsPartial && i == words.Count - 1))
                {
                    var postings = _postings[stem];
                    var idf = Math.Log(1 + (_entries.Count - postings.Count + 0.5) / (postings.Count + 0.5));
                    foreach (var id in postings)
                    {
                        var entry = _entries[id];
                        var tf = entry.Terms[stem];
                        var score = weight * idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * entry.Length / average));
                        if (score > best.GetValueOrDefault(id))
                            best[id] = score;
                    }
                }
                foreach (var (id, score) in best)
                {
                    var current = scores.GetValueOrDefault(id);
                    scores[id] = (current.Score + score, current.Matched + 1);
                }
            }
            return scores
                .Where(s => Passes(_entries[s.Key].Article, filter))
                // Articles matching more of the query words rank first, then by score.
                .Select(s => (Entry: _entries[s.Key], Score: s.Value.Score * s.Value.Matched / words.Count))
                .OrderByDescending(s => s.Score).ThenBy(s => s.Entry.Article.Id, StringComparer.Ordinal)
                .Take(limit)
                .Select(s => new KbSearchHit(s.Entry.Article.Id, s.Entry.Article.Title, s.Entry.Article.RecordType, Math.Round(s.Score, 4), s.Entry.Snippet))
                .ToList();
        }
    }

    /// <summary>
    /// While typing: titles of the best matching articles, then the query with its last word completed.
    /// <paramref name="known"/> is an article the text is already known to mean (the host's exact phrasings and
    /// editors' labels): it comes first when it passes the filter.
    /// </summary>
    public IReadOnlyList<KbSuggestion> Suggest(string prefix, int limit = 10, KbSearchFilter? filter = null, string? known = null)
    {
        if (string.IsNullOrWhiteSpace(prefix) || limit <= 0)
            return [];
        var suggestions = Search(prefix, filter, limit).Select(h => new KbSuggestion(h.Title, h.ArticleId)).ToList();
        if (known is not null)
        {
            Entry? entry;
            lock (_lock)
                entry = _entries.GetValueOrDefault(known);
            if (entry is not null && Passes(entry.Article, filter))
            {
                suggestions.RemoveAll(s => s.ArticleId == known);
                suggestions.Insert(0, new KbSuggestion(entry.Article.Title, known));
            }
        }
        var words = TextAnalyzer.Words(prefix).ToList();
        if (words.Count > 0 && !char.IsWhiteSpace(prefix[^1]))
        {
            var last = words[^1];
            var head = string.Join(' ', words.Take(words.Count - 1));
            lock (_lock)
            {
                foreach (var word in _words.Where(w => w.Key.StartsWith(last, StringComparison.Ordinal) && w.Key != last)
                             .OrderByDescending(w => w.Value).ThenBy(w => w.Key, StringComparer.Ordinal).Select(w => w.Key))
                {
                    if (suggestions.Count >= limit)
                        break;
                    suggestions.Add(new KbSuggestion(head.Length == 0 ? word : head + " " + word, null));
                }
            }
        }
        return suggestions.Take(limit).ToList();
    }

    private IEnumerable<(string Stem, double Weight)> Expand(string word, bool partial)
    {
        var stem = TextAnalyzer.Stem(word);
        var yielded = new HashSet<string>(StringComparer.Ordinal);
        if (_postings.ContainsKey(stem) && yielded.Add(stem))
            yield return (stem, 1);
        if (partial && word.Length >= 2)
            foreach (var other in _postings.Keys.Where(k => k.StartsWith(word, StringComparison.Ordinal) || k.StartsWith(stem, StringComparison.Ordinal)))
                if (yielded.Add(other))
                    yield return (other, PrefixPenalty);
        // Typos: short words must match exactly; longer ones allow one (or, from 8 letters, two) edits.
        var maxEdits = stem.Length >= 8 ? 2 : stem.Length >= 4 ? 1 : 0;
        if (maxEdits == 0)
            yield break;
        foreach (var other in _postings.Keys)
            if (Math.Abs(other.Length - stem.Length) <= maxEdits && !yielded.Contains(other) && EditDistance(stem, other, maxEdits) <= maxEdits)
            {
                yielded.Add(other);
                yield return (other, TypoPenalty);
            }
    }

    private static bool Passes(Article article, KbSearchFilter? filter)
    {
        if (filter is null)
            return true;
        var access = article.Access;
        return (filter.RecordTypes.Count == 0 || (article.RecordType is { } type && filter.RecordTypes.Contains(type)))
               && Allows(access.Languages, filter.Language)
               && Allows(access.CallCentres, filter.CallCentre)
               && Allows(access.Lines, filter.Line)
               && (access.Skills.Count == 0 || filter.Skills.Count == 0 || filter.Skills.Any(s => access.Skills.Contains(s, StringComparer.OrdinalIgnoreCase)));
    }

    private static bool Allows(List<string> allowed, string? value) =>
        allowed.Count == 0 || value is null || allowed.Contains(value, StringComparer.OrdinalIgnoreCase);

    private void Add(Article article)
    {
        var terms = new Dictionary<string, double>(StringComparer.Ordinal);
        var words = new List<string>();
        double length = 0;
        void Index(string? text, double weight)
        {
            foreach (var word in TextAnalyzer.Words(text))
            {
                words.Add(word);
                var stem = TextAnalyzer.Stem(word);
                terms[stem] = terms.GetValueOrDefault(stem) + weight;
                length += weight;
            }
        }
        Index(article.Title, TitleWeight);
        foreach (var question in article.Questions)
            Index(question, QuestionWeight);
        var texts = article.Answers.Select(a => a.Text).Where(t => !t.TrimStart().StartsWith('/')).ToList();
        foreach (var text in texts)
            Index(text, AnswerWeight);

        var snippet = string.Join(' ', texts).ReplaceLineEndings(" ");
        if (snippet.Length > 160)
            snippet = snippet[..157] + "...";
        _entries[article.Id] = new Entry(article, terms, Math.Max(length, 1), snippet, words);
        _totalLength += Math.Max(length, 1);
        foreach (var stem in terms.Keys)
        {
            if (!_postings.TryGetValue(stem, out var set))
                _postings[stem] = set = new HashSet<string>(StringComparer.Ordinal);
            set.Add(article.Id);
        }
        foreach (var word in words)
            _words[word] = _words.GetValueOrDefault(word) + 1;
    }

    private bool RemoveLocked(string articleId)
    {
        if (!_entries.Remove(articleId, out var entry))
            return false;
        _totalLength -= entry.Length;
        foreach (var stem in entry.Terms.Keys)
            if (_postings.TryGetValue(stem, out var set) && set.Remove(articleId) && set.Count == 0)
                _postings.Remove(stem);
        foreach (var word in entry.Words)
            if (_words.TryGetValue(word, out var count))
            {
                if (count <= 1)
                    _words.Remove(word);
                else
                    _words[word] = count - 1;
            }
        return true;
    }

    /// <summary>Optimal string alignment distance (a swap of neighbours is one edit), cut off above <paramref name="max"/>.</summary>
    public static int EditDistance(string a, string b, int max)
    {
        var rows = new int[3][];
        for (var r = 0; r < 3; r++)
            rows[r] = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
            rows[1][j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            var (before, previous, current) = (rows[(i + 2) % 3], rows[i % 3], rows[(i + 1) % 3]);
            current[0] = i;
            var rowMin = current[0];
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    value = Math.Min(value, before[j - 2] + 1);
                current[j] = value;
                rowMin = Math.Min(rowMin, value);
            }
            if (rowMin > max)
                return max + 1;
        }
        return rows[(a.Length + 1) % 3][b.Length];
    }
}
