using BotEngine.Engine.Desk;
using BotEngine.Engine.Knowledge;
using BotEngine.KnowledgeBase;

namespace BotEngine.Bot.Api;

/// <summary>
/// "Test the bot": runs one message through the bot's own matcher and dialog runner (over the saved KB, or over the KB
/// with a draft article in it) without storing anything, and explains the choice from the classifier's top three.
/// </summary>
public static class KbTrial
{
    public const int MaxTextLength = 4000;
    private const string DraftPrefix = "draft";

    /// <returns>The trial, or validation errors naming the request's fields (a draft's errors under <c>draft.</c>).</returns>
    public static (KbTrialResponse? Result, IReadOnlyList<KbValidationError> Errors) Run(KnowledgeRuntime knowledge, double threshold, KbTrialRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Text))
            return (null, [new KbValidationError("text", "required: the client's message to try")]);
        if (request.Text.Length > MaxTextLength)
            return (null, [new KbValidationError("text", $"longer than {MaxTextLength} characters")]);
        if (string.IsNullOrWhiteSpace(request.Language) || request.Language.Length > 16)
            return (null, [new KbValidationError("language", "a language code such as ru or en")]);

        if (request.State?.Slots.FirstOrDefault(s => s.Value is null) is { Key: { } emptySlot })
            return (null, [new KbValidationError($"state.slots.{emptySlot}", "a slot value is null; leave the slot out instead")]);

        var kb = knowledge.Document;
        if (request.Draft is { } draft)
        {
            // A new article may be tried before it has an identifier.
            if (string.IsNullOrWhiteSpace(draft.Id))
                draft.Id = UnusedId(kb);
            var change = KbEditor.UpsertArticle(kb, draft);
            if (!change.Succeeded)
                return (null, change.Errors.Select(e => e with { Path = e.Path == "$" ? DraftPrefix : $"{DraftPrefix}.{e.Path}" }).ToList());
            kb = change.Document!;
        }

        var text = request.Text.Trim();
        var language = request.Language.Trim();
        var context = new DialogContext { CallCentre = request.CallCentre ?? CallCentres.Default, Line = request.Line };
        var matcher = knowledge.MatcherFor(kb);
        var runner = knowledge.RunnerOver(kb, matcher);
        var state = request.State ?? new DialogState();
        var scenario = state.Scenario?.ArticleId;
        var previous = state.LastArticleId;
        state.LastArticleId = null;
        var result = runner.Run(state, new ClientInput(text, null, language) { Context = context });
        // A message inside a scenario answers its slot question (or cancels it): the scenario's article is the one at work.
        var chosen = state.LastArticleId ?? scenario;
        state.LastArticleId ??= previous;

        var exact = matcher.ExactArticle(text);
        var prediction = knowledge.Classifier.Predict(text, 3);
        var top = prediction.Top.Select(p => Candidate(kb, p.Intent, p.Confidence, prediction.IsOutOfScope, chosen, threshold, language, context)).ToList();
        var articles = kb.Articles.ToDictionary(a => a.Id, StringComparer.Ordinal);
        var exactRefused = exact is not null && articles.TryGetValue(exact, out var matched) && !ArticleAccessFilter.IsOffered(matched.Access, language, context);
        var reason = Reason(chosen, exact, exactRefused, scenario, result, top);
        var status = knowledge.Status;
        return (new KbTrialResponse(
            top,
            chosen,
            chosen is not null && articles.TryGetValue(chosen, out var article) ? article.Title : null,
            reason,
            threshold,
            exact is not null,
            request.Draft is null && status.ClassifierRevision == status.Revision,
            Outcome(result.Outcome),
            result.Messages.Select(m => new KbTrialMessage(m.Text, m.ArticleId, m.Buttons.Select(b => b.Label).ToList(), m.Attachments.Select(a => a.Name).ToList())).ToList(),
            result.State.Slots,
            result.State), []);
    }

    private static string UnusedId(KbDocument kb)
    {
        var id = DraftPrefix;
        for (var n = 2; kb.Articles.Exists(a => a.Id == id); n++)
            id = $"{DraftPrefix}_{n}";
        return id;
    }

    private static KbTrialCandidate Candidate(KbDocument kb, string id, double confidence, bool outOfScope, string? chosen, double threshold, string language, DialogContext context)
    {
        var article = kb.Articles.FirstOrDefault(a => a.Id == id);
        var verdict = article is null ? "not_in_kb"
            : id == chosen ? "chosen"
            : outOfScope ? "out_of_scope"
            : !ArticleAccessFilter.IsOffered(article.Access, language, context) ? "not_offered"
            : confidence < threshold ? "below_threshold"
            : "passed_over";
        return new KbTrialCandidate(id, article?.Title, Math.Round(confidence, 4), verdict);
    }

    private static string Reason(string? chosen, string? exact, bool exactRefused, string? scenario, TurnResult result, List<KbTrialCandidate> top)
    {
        if (chosen is not null)
            return chosen == scenario ? "scenario" : chosen == exact ? "exact_phrasing" : "confident";
        if (result.State.Clarification is not null)
            return "clarify";
        // An exact phrasing decides alone (the classifier is not asked): its article's access settings refused it.
        if (exactRefused)
            return "not_offered";
        // The best candidate's verdict says why nothing was chosen.
        return top.FirstOrDefault()?.Verdict switch
        {
            "below_threshold" => "below_threshold",
            "not_offered" => "not_offered",
            _ => "out_of_scope",
        };
    }

    private static string Outcome(TurnOutcome outcome) => outcome switch
    {
        TurnOutcome.Handoff => "handoff",
        TurnOutcome.Redirect => "redirect",
        TurnOutcome.Close => "close",
        TurnOutcome.CallbackRequested => "callback",
        _ => "continue",
    };
}
