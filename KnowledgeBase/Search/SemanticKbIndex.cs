namespace BotEngine.KnowledgeBase;

/// <summary>
/// Articles by meaning: the embeddings of each article's title and phrasings, and a query's similarity to an article
/// as its best cosine over them. Embedding costs milliseconds per text, so saving an article only queues it;
/// <see cref="EmbedPending"/> (a background loop in the host) does the work, and until then the article is found by
/// its words alone. Only texts the embedder covers are embedded (English, for the encoders served today).
/// </summary>
public sealed class SemanticKbIndex(ISearchEmbedder embedder)
{
    private sealed record Vectors(float[][] Items);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Vectors> _vectors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _pending = new(StringComparer.Ordinal);
    private TaskCompletionSource _queued = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Articles saved but not yet embedded.</summary>
    public int PendingCount
    {
        get { lock (_lock) return _pending.Count; }
    }

    /// <summary>Articles that have embeddings.</summary>
    public int Count
    {
        get { lock (_lock) return _vectors.Count; }
    }

    public bool Covers(string text) => embedder.Covers(text);

    /// <summary>The embedder's similarity below which an article is not offered.</summary>
    public double MinSimilarity => embedder.MinSimilarity;

    public void Clear()
    {
        lock (_lock)
        {
            _vectors.Clear();
            _pending.Clear();
        }
    }

    /// <summary>Queues the article's current texts; its old embeddings serve until the new ones are made.</summary>
    public void Upsert(Article article)
    {
        var texts = new[] { article.Title }.Concat(article.Questions)
            .Select(t => t.Trim()).Where(t => t.Length > 0 && embedder.Covers(t))
            .Distinct(StringComparer.Ordinal).ToArray();
        lock (_lock)
        {
            if (texts.Length == 0)
            {
                _vectors.Remove(article.Id);
                _pending.Remove(article.Id);
            }
            else
            {
                _pending[article.Id] = texts;
                _queued.TrySetResult();
            }
        }
    }

    /// <summary>Completes when an article is queued for embedding (at once if one is).</summary>
    public Task WhenQueuedAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_pending.Count > 0)
                return Task.CompletedTask;
            if (_queued.Task.IsCompleted)
                _queued = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _queued.Task.WaitAsync(cancellationToken);
        }
    }

    public void Remove(string articleId)
    {
        lock (_lock)
        {
            _vectors.Remove(articleId);
            _pending.Remove(articleId);
        }
    }

    /// <summary>
    /// Embeds queued articles, about <paramref name="maxTexts"/> texts at a time (at least one article), and returns how
    /// many articles it finished. An article saved again meanwhile stays queued with its newer texts.
    /// </summary>
    public int EmbedPending(int maxTexts, CancellationToken cancellationToken = default)
    {
        List<(string Id, string[] Texts)> batch = [];
        lock (_lock)
        {
            var total = 0;
            foreach (var (id, texts) in _pending)
            {
                if (batch.Count > 0 && total + texts.Length > maxTexts)
                    break;
                batch.Add((id, texts));
                total += texts.Length;
            }
        }
        if (batch.Count == 0)
            return 0;

        var embeddings = embedder.EmbedTexts(batch.SelectMany(b => b.Texts).ToList(), cancellationToken);
        var done = 0;
        var offset = 0;
        lock (_lock)
        {
            foreach (var (id, texts) in batch)
            {
                var vectors = embeddings.AsSpan(offset, texts.Length).ToArray();
                offset += texts.Length;
                // Saved again or removed while this batch ran: the queue holds the truth.
                if (_pending.TryGetValue(id, out var current) && ReferenceEquals(current, texts))
                {
                    _pending.Remove(id);
                    _vectors[id] = new Vectors(vectors);
                    done++;
                }
            }
        }
        return done;
    }

    /// <summary>
    /// Articles by similarity to <paramref name="query"/>, best first, those at or above <paramref name="floor"/> and
    /// passing <paramref name="passes"/>; empty when the embedder does not cover the query.
    /// </summary>
    public IReadOnlyList<(string ArticleId, double Similarity)> Rank(string query, Func<string, bool> passes, int limit, double floor)
    {
        if (string.IsNullOrWhiteSpace(query) || limit <= 0 || !embedder.Covers(query))
            return [];
        lock (_lock)
        {
            if (_vectors.Count == 0)
                return [];
        }
        var q = embedder.EmbedQuery(query);
        var scored = new List<(string, double)>();
        lock (_lock)
        {
            foreach (var (id, vectors) in _vectors)
            {
                var best = double.MinValue;
                foreach (var v in vectors.Items)
                    best = Math.Max(best, Dot(q, v));
                if (best >= floor && passes(id))
                    scored.Add((id, best));
            }
        }
        return scored.OrderByDescending(s => s.Item2).ThenBy(s => s.Item1, StringComparer.Ordinal).Take(limit).ToList();
    }

    private static double Dot(float[] a, float[] b)
    {
        var n = Math.Min(a.Length, b.Length);
        return System.Numerics.Tensors.TensorPrimitives.Dot(a.AsSpan(0, n), b.AsSpan(0, n));
    }
}
