namespace BotEngine.Bot.Api;

/// <summary>One line of the editor's articles table: what the table shows and filters on, not the whole article.</summary>
/// <param name="Phrasings">How many phrasings ("when the user asks") the article has.</param>
/// <param name="RedirectsTo">The external agent an answer hands the dialog to (<c>/redirect AGENT</c>), if any.</param>
/// <param name="Score">The search score, when the list was searched.</param>
public sealed record KbArticleRow(
    string Id, string Title, string? RecordType, int Phrasings, IReadOnlyList<string> Topics, IReadOnlyList<string> Lines,
    IReadOnlyList<string> Languages, bool HasSlots, string? RedirectsTo, DateTimeOffset? UpdatedAt, double? Score);
