using System.Globalization;

namespace BotEngine.Bot.Api;

/// <summary>
/// The articles table's query string, checked: <c>q</c> (search), <c>sort</c> (<c>id</c>, <c>title</c>, <c>updated</c>,
/// <c>relevance</c> with q; a leading '-' for descending), <c>limit</c> (1-200), <c>cursor</c>, and the filters
/// <c>recordType</c> (comma-separated), <c>topic</c>, <c>line</c>, <c>language</c>, <c>hasSlots</c>, <c>redirectsToAgent</c>.
/// </summary>
public sealed record KbArticleQuery
{
    public const int MaxLimit = 200;
    public const int DefaultLimit = 50;

    /// <summary>Any of these in the query string asks for a page; without them the list is the whole array, as before paging.</summary>
    public static readonly IReadOnlyList<string> Names = ["q", "cursor", "limit", "sort", "recordType", "topic", "line", "language", "hasSlots", "redirectsToAgent"];

    private static readonly string[] SortKeys = ["id", "title", "updated", "relevance"];

    public string? Search { get; init; }
    /// <summary>The sort key, '-' first when descending.</summary>
    public string Sort { get; init; } = "id";
    public int Limit { get; init; } = DefaultLimit;
    public string? Cursor { get; init; }
    public IReadOnlyList<string> RecordTypes { get; init; } = [];
    public string? Topic { get; init; }
    public string? Line { get; init; }
    public string? Language { get; init; }
    public bool? HasSlots { get; init; }
    public bool? RedirectsToAgent { get; init; }

    public static bool AsksForPage(IQueryCollection query) => Names.Any(query.ContainsKey);

    /// <summary>The query, or a problem naming the parameter.</summary>
    public static (KbArticleQuery? Query, string? Problem) Parse(IQueryCollection query)
    {
        string? Text(string name) => string.IsNullOrWhiteSpace(query[name].ToString()) ? null : query[name].ToString().Trim();

        var search = Text("q");
        var sort = Text("sort") ?? (search is null ? "id" : "relevance");
        var key = sort.TrimStart('-');
        if (!SortKeys.Contains(key, StringComparer.Ordinal) || sort.Length - key.Length > 1)
            return (null, $"sort: '{sort}' is not one of id, title, updated, relevance (a leading '-' sorts descending).");
        if (key == "relevance" && search is null)
            return (null, "sort: relevance needs q (the text to search for).");
        var limit = DefaultLimit;
        if (Text("limit") is { } limitText && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
            return (null, $"limit: '{limitText}' is not a whole number from 1 to {MaxLimit}.");
        var (hasSlots, slotsProblem) = Flag(Text("hasSlots"), "hasSlots");
        var (redirects, redirectsProblem) = Flag(Text("redirectsToAgent"), "redirectsToAgent");
        if ((slotsProblem ?? redirectsProblem) is { } problem)
            return (null, problem);
        return (new KbArticleQuery
        {
            Search = search,
            Sort = sort,
            Limit = limit,
            Cursor = Text("cursor"),
            RecordTypes = Text("recordType")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [],
            Topic = Text("topic"),
            Line = Text("line"),
            Language = Text("language"),
            HasSlots = hasSlots,
            RedirectsToAgent = redirects,
        }, null);
    }

    /// <summary>What the cursor is tied to: the same search, filters and sort (not the limit, which may change between pages).</summary>
    public string Fingerprint() =>
        string.Join('\u001f', Search, Sort, string.Join(',', RecordTypes), Topic, Line, Language, HasSlots, RedirectsToAgent);

    private static (bool? Value, string? Problem) Flag(string? text, string name) => text switch
    {
        null => (null, null),
        "true" => (true, null),
        "false" => (false, null),
        _ => (null, $"{name}: '{text}' is not true or false."),
    };
}
