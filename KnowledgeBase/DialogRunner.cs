namespace BotEngine.KnowledgeBase;

/// <summary>What the client sent in one turn: free text, or a button that names an article.</summary>
public sealed record ClientInput(string? Text, string? ArticleId, string Language);

public sealed record ArticleCandidate(string ArticleId, double Confidence);

/// <summary>Finds the articles that answer a text (the engine adapts the intent classifier to this).</summary>
public interface IArticleMatcher
{
    IReadOnlyList<ArticleCandidate> Match(string text, string language);
}

/// <summary>The bot's memory of one dialog; the engine stores it as JSON between turns.</summary>
public sealed class DialogState
{
    public int ConsecutiveMisses { get; set; }
    public string? LastArticleId { get; set; }
    public Dictionary<string, string> Slots { get; set; } = [];
}

public sealed record OutgoingMessage(string Text, IReadOnlyList<AnswerButton> Buttons, IReadOnlyList<AnswerAttachment> Attachments, string? ArticleId);

public abstract record TurnOutcome
{
    public sealed record Continue : TurnOutcome;
    public sealed record Handoff(string? Line, string Reason) : TurnOutcome;
    public sealed record Redirect(string AgentId) : TurnOutcome;
    public sealed record Close : TurnOutcome;
}

public sealed record TurnResult(IReadOnlyList<OutgoingMessage> Messages, TurnOutcome Outcome, DialogState State);

public sealed class DialogRunnerOptions
{
    /// <summary>Below this confidence the bot does not answer with an article.</summary>
    public double MinConfidence { get; set; } = 0.35;
    /// <summary>After this many misses in a row the dialog goes to operators.</summary>
    public int MissesBeforeHandoff { get; set; } = 2;
}

/// <summary>Runs one bot turn against a knowledge base snapshot. Pure: no I/O, no clock.</summary>
public sealed class DialogRunner(KbDocument kb, IArticleMatcher matcher, DialogRunnerOptions options)
{
    private readonly Dictionary<string, Article> _articles = kb.Articles.ToDictionary(a => a.Id, StringComparer.Ordinal);

    public KbDocument Kb => kb;

    public TurnResult Run(DialogState state, ClientInput input)
    {
        var article = ResolveArticle(input);
        if (article is null)
        {
            state.ConsecutiveMisses++;
            if (state.ConsecutiveMisses >= options.MissesBeforeHandoff)
            {
                state.ConsecutiveMisses = 0;
                return new TurnResult([], new TurnOutcome.Handoff(null, "no_confident_match"), state);
            }
            var fallback = Localized(kb.Settings.FallbackText, input.Language) ?? "";
            return new TurnResult([new OutgoingMessage(fallback, [], [], null)], new TurnOutcome.Continue(), state);
        }

        state.ConsecutiveMisses = 0;
        state.LastArticleId = article.Id;
        return Answer(article, state);
    }

    /// <summary>The article's answers as the dialog start greeting, or nothing when none is configured.</summary>
    public TurnResult Greet(DialogState state, string language)
    {
        var id = Localized(kb.Settings.GreetingArticle, language);
        return id is not null && _articles.TryGetValue(id, out var article)
            ? Answer(article, state)
            : new TurnResult([], new TurnOutcome.Continue(), state);
    }

    private Article? ResolveArticle(ClientInput input)
    {
        if (input.ArticleId is not null)
            return _articles.GetValueOrDefault(input.ArticleId);
        if (string.IsNullOrWhiteSpace(input.Text))
            return null;
        foreach (var candidate in matcher.Match(input.Text, input.Language))
        {
            if (candidate.Confidence < options.MinConfidence)
                break;
            if (_articles.TryGetValue(candidate.ArticleId, out var article) && IsOffered(article, input.Language))
                return article;
        }
        return null;
    }

    private static bool IsOffered(Article article, string language) =>
        article.Access.Languages.Count == 0 || article.Access.Languages.Contains(language, StringComparer.OrdinalIgnoreCase);

    private TurnResult Answer(Article article, DialogState state)
    {
        var messages = new List<OutgoingMessage>();
        TurnOutcome outcome = new TurnOutcome.Continue();
        var answers = article.MessagePolicy switch
        {
            MessagePolicy.First => article.Answers.Take(1),
            MessagePolicy.Random => article.Answers.Count == 0 ? [] : [article.Answers[Random.Shared.Next(article.Answers.Count)]],
            _ => article.Answers,
        };
        foreach (var answer in answers)
        {
            var text = answer.Text.Trim();
            if (text.StartsWith("/operator", StringComparison.Ordinal))
            {
                var line = text.Length > "/operator".Length ? text["/operator".Length..].Trim() : null;
                outcome = new TurnOutcome.Handoff(string.IsNullOrEmpty(line) ? null : line, "requested");
                continue;
            }
            if (text.StartsWith("/redirect ", StringComparison.Ordinal))
            {
                outcome = new TurnOutcome.Redirect(text["/redirect ".Length..].Trim());
                continue;
            }
            messages.Add(new OutgoingMessage(answer.Text, answer.Buttons, answer.Attachments, article.Id));
        }
        return new TurnResult(messages, outcome, state);
    }

    private static string? Localized(Dictionary<string, string> texts, string language) =>
        texts.TryGetValue(language, out var text) ? text : texts.Values.FirstOrDefault();
}
