using System.Runtime.CompilerServices;
using BotEngine.Engine.Knowledge;
using BotEngine.KnowledgeBase;

namespace BotEngine.Bot.Api;

/// <summary>
/// Finds the phrasings of an article that the bot cannot tell apart: the same words twice in the article, or words
/// another article already has. Phrasings are compared as the exact-phrasing match compares them
/// (<see cref="ClassifierArticleMatcher.Normalize"/>), so a flagged phrasing is one the bot would answer with either.
/// </summary>
public static class KbPhrasingCheck
{
    // Built once per KB document (a change swaps in a new document), so checking while the editor types stays cheap.
    private static readonly ConditionalWeakTable<KbDocument, Dictionary<string, List<Article>>> Owners = [];

    public static List<KbPhrasingIssue> Find(KbDocument kb, string articleId, IReadOnlyList<string> questions)
    {
        var owners = Owners.GetValue(kb, Index);
        var issues = new List<KbPhrasingIssue>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < questions.Count; i++)
        {
            var words = ClassifierArticleMatcher.Normalize(questions[i] ?? "");
            if (words.Length == 0)
                continue;
            int? duplicateOf = seen.TryGetValue(words, out var first) ? first : null;
            seen.TryAdd(words, i);
            var other = owners.GetValueOrDefault(words)?.FirstOrDefault(a => a.Id != articleId);
            if (duplicateOf is not null || other is not null)
                issues.Add(new KbPhrasingIssue(i, questions[i]!, duplicateOf, other?.Id, other?.Title));
        }
        return issues;
    }

    private static Dictionary<string, List<Article>> Index(KbDocument kb)
    {
        var owners = new Dictionary<string, List<Article>>(StringComparer.Ordinal);
        foreach (var article in kb.Articles)
        {
            foreach (var question in article.Questions)
            {
                var words = ClassifierArticleMatcher.Normalize(question);
                if (!owners.TryGetValue(words, out var list))
                    owners[words] = list = [];
                if (!list.Contains(article))
                    list.Add(article);
            }
        }
        return owners;
    }
}
