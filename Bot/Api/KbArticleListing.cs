using System.Globalization;
using System.Runtime.CompilerServices;
using BotEngine.KnowledgeBase;
using BotEngine.Storage;

namespace BotEngine.Bot.Api;

/// <summary>
/// Pages the articles table over the current KB: the search index ranks when there is a query, the filters follow
/// the articles' settings (an empty access list means "any", as when the bot offers an article), then sort and page.
/// </summary>
public static class KbArticleListing
{
    private static readonly StringComparer Titles = StringComparer.Create(CultureInfo.InvariantCulture, ignoreCase: true);

    // Each article's place in title order, computed once per KB document (a change swaps in a new one): comparing
    // titles by culture is the slow part of sorting 10,000 articles, so pages compare these numbers instead.
    private static readonly ConditionalWeakTable<KbDocument, Dictionary<string, int>> TitleRanks = [];

    // Paging through a search asks the same query once per page, and a broad one scores thousands of articles: the
    // last few queries' scores are kept for as long as the index does not change.
    private static readonly ConditionalWeakTable<KbSearchIndex, SearchScores> RecentSearches = [];

    /// <param name="updatedAt">When each article was last saved (microseconds), by id.</param>
    /// <returns>The page, or a problem naming the cursor.</returns>
    public static (KbArticlePage? Page, string? Problem) Page(KbDocument kb, KbSearchIndex search, IReadOnlyDictionary<string, long> updatedAt, KbArticleQuery query)
    {
        KbListCursor? cursor = null;
        if (query.Cursor is { } text)
        {
            (cursor, var problem) = KbListCursor.Decode(text, query.Fingerprint());
            if (problem is not null)
                return (null, problem);
        }
        var scores = query.Search is { } q ? RecentSearches.GetValue(search, _ => new SearchScores()).Get(q, search) : null;
        var matches = kb.Articles.Where(a => (scores is null || scores.ContainsKey(a.Id)) && Passes(a, query));
        var sorted = Sorted(matches, query.Sort, scores, updatedAt, TitleRanks.GetValue(kb, RankTitles));

        var start = 0;
        if (cursor is not null)
        {
            var after = sorted.FindIndex(a => a.Id == cursor.LastId);
            start = after >= 0 ? after + 1 : Math.Min(cursor.Position, sorted.Count);
        }
        var items = sorted.Skip(start).Take(query.Limit).ToList();
        var end = start + items.Count;
        var next = end < sorted.Count && items.Count > 0 ? new KbListCursor(items[^1].Id, end).Encode(query.Fingerprint()) : null;
        var rows = items.Select(a => Row(a, updatedAt, scores)).ToList();
        return (new KbArticlePage(rows, next, sorted.Count, query.Sort), null);
    }

    /// <summary>The agent an article's answer redirects to (<c>/redirect AGENT</c>), if any.</summary>
    public static string? RedirectTarget(Article article) =>
        article.Answers.Select(a => AnswerCommand.TryParse(a.Text, out var command, out _) ? command : null)
            .OfType<AnswerCommand.Redirect>().FirstOrDefault()?.AgentId;

    private static bool Passes(Article article, KbArticleQuery query) =>
        (query.RecordTypes.Count == 0 || query.RecordTypes.Contains(article.RecordType ?? "", StringComparer.OrdinalIgnoreCase))
        && (query.Topic is null || article.Topics.Contains(query.Topic, StringComparer.OrdinalIgnoreCase))
        && Allows(article.Access.Lines, query.Line)
        && Allows(article.Access.Languages, query.Language)
        && (query.HasSlots is not { } slots || slots == article.Slots.Count > 0)
        && (query.RedirectsToAgent is not { } redirects || redirects == RedirectTarget(article) is not null);

    private static bool Allows(List<string> allowed, string? wanted) =>
        wanted is null || allowed.Count == 0 || allowed.Contains(wanted, StringComparer.OrdinalIgnoreCase);

    private static Dictionary<string, int> RankTitles(KbDocument kb) =>
        kb.Articles.OrderBy(a => a.Title, Titles).ThenBy(a => a.Id, StringComparer.Ordinal)
            .Select((a, rank) => (a.Id, rank))
            .ToDictionary(x => x.Id, x => x.rank, StringComparer.Ordinal);

    private static List<Article> Sorted(IEnumerable<Article> articles, string sort, Dictionary<string, double>? scores,
        IReadOnlyDictionary<string, long> updatedAt, Dictionary<string, int> titleRanks)
    {
        var descending = sort.StartsWith('-');
        IOrderedEnumerable<Article> ordered = sort.TrimStart('-') switch
        {
            "title" => articles.OrderBy(a => titleRanks.GetValueOrDefault(a.Id)),
            "updated" => articles.OrderBy(a => updatedAt.GetValueOrDefault(a.Id)),
            // Best match first; "-relevance" turns that round.
            "relevance" => articles.OrderByDescending(a => scores!.GetValueOrDefault(a.Id)),
            _ => articles.OrderBy(a => a.Id, StringComparer.Ordinal),
        };
        var list = ordered.ThenBy(a => a.Id, StringComparer.Ordinal).ToList();
        if (descending)
            list.Reverse();
        return list;
    }

    private sealed class SearchScores
    {
        private const int Kept = 8;
        private readonly Lock _lock = new();
        private readonly List<(string Query, long Version, Dictionary<string, double> Scores)> _recent = [];

        public Dictionary<string, double> Get(string query, KbSearchIndex search)
        {
            // Read before searching: a change during the search leaves an entry that is never matched again.
            var version = search.Version;
            lock (_lock)
            {
                _recent.RemoveAll(r => r.Version != version);
                var found = _recent.FindIndex(r => r.Query == query);
                if (found >= 0)
                    return _recent[found].Scores;
            }
            // The editor's table filters by the words typed (the operator's search also ranks by meaning).
            var scores = search.Search(query, null, int.MaxValue, byMeaning: false).ToDictionary(h => h.ArticleId, h => h.Score, StringComparer.Ordinal);
            lock (_lock)
            {
                if (_recent.Count == Kept)
                    _recent.RemoveAt(0);
                _recent.Add((query, version, scores));
            }
            return scores;
        }
    }

    private static KbArticleRow Row(Article a, IReadOnlyDictionary<string, long> updatedAt, Dictionary<string, double>? scores) => new(
        a.Id, a.Title, a.RecordType, a.Questions.Count, a.Topics, a.Access.Lines, a.Access.Languages, a.Slots.Count > 0, RedirectTarget(a),
        updatedAt.TryGetValue(a.Id, out var micros) ? TimeExtensions.FromMicros(micros) : null,
        scores?.GetValueOrDefault(a.Id));
}
