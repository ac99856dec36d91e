using System.Globalization;
using System.Text.RegularExpressions;

namespace BotEngine.KnowledgeBase;

/// <summary>
/// Runs one bot turn against a knowledge base snapshot: articles, menus, scenarios (slots), commands, greeting
/// and the out-of-hours notice. Pure: no I/O; time comes from the injected <see cref="TimeProvider"/> and
/// randomness (message policy "random") from the injected <see cref="Random"/>. All dialog memory is in <see cref="DialogState"/>.
/// </summary>
public sealed partial class DialogRunner
{
    private readonly KbDocument _kb;
    private readonly IArticleMatcher _matcher;
    private readonly DialogRunnerOptions _options;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly Dictionary<string, Article> _articles;
    private readonly Dictionary<string, SlotDefinition> _slots;

    public DialogRunner(KbDocument kb, IArticleMatcher matcher, DialogRunnerOptions options, TimeProvider? time = null, Random? random = null)
    {
        _kb = kb;
        _matcher = matcher;
        _options = options;
        _time = time ?? TimeProvider.System;
        _random = random ?? Random.Shared;
        _articles = kb.Articles.GroupBy(a => a.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        _slots = kb.Slots.GroupBy(s => s.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    public KbDocument Kb => _kb;

    public TurnResult Run(DialogState state, ClientInput input)
    {
        var operators = state.Scenario?.ReturnToOperatorId;
        var result = RunTurn(state, input);
        // However an operator's scenario ended (answered, cancelled, left by an article button), the operator gets the dialog back.
        if (operators is null || state.Scenario is not null)
            return result;
        return result.Outcome switch
        {
            TurnOutcome.Continue => result with { Outcome = new TurnOutcome.Handoff(null, ScenarioDone) { OperatorId = operators } },
            // The article's own /operator at the end goes to the operator who started it, not to whoever is free.
            TurnOutcome.Handoff { OperatorId: null } handoff => result with { Outcome = handoff with { OperatorId = operators } },
            _ => result,
        };
    }

    private TurnResult RunTurn(DialogState state, ClientInput input)
    {
        var turn = new Turn(state, input.Language, input.Context);
        // a "did you mean" question is answered by this turn or forgotten
        if (state.Clarification is { } asked)
        {
            state.Clarification = null;
            if (input.ArticleId is { } picked && asked.ArticleIds.Contains(picked))
                turn.Clarified = new ClarifiedExample(asked.Text, picked, input.Language);
        }
        if (!string.IsNullOrWhiteSpace(input.Text))
        {
            var text = input.Text.Trim();
            state.RecentTexts.Add(text.Length > _options.RecentTextLength ? text[.._options.RecentTextLength] : text);
            if (state.RecentTexts.Count > _options.RecentTextsKept)
                state.RecentTexts.RemoveRange(0, state.RecentTexts.Count - _options.RecentTextsKept);
        }

        if (state.Scenario is { } scenario)
        {
            if (!_articles.ContainsKey(scenario.ArticleId) || (scenario.SlotId is { } s && !_slots.ContainsKey(s)))
                state.Scenario = null; // the KB changed under the dialog; start afresh
            else if (input.ArticleId is not null)
                state.Scenario = null; // an article button leaves the scenario
            else if (input.Payload is null && input.Text is { } text && RunnerTexts.IsCancel(text))
                return Cancel(turn);
            else
                return AnswerSlot(turn, input);
        }

        var article = ResolveArticle(input, out var unsure);
        if (unsure.Count >= 2)
            return AskWhichArticle(turn, input.Text!.Trim(), unsure);
        if (article is null)
        {
            state.ConsecutiveMisses++;
            if (state.ConsecutiveMisses >= _options.MissesBeforeHandoff)
            {
                state.ConsecutiveMisses = 0;
                return HandOff(turn, null, "no_confident_match");
            }
            turn.Say(Localized(_kb.Settings.FallbackText, input.Language) ?? "", null);
            return turn.Result();
        }

        state.ConsecutiveMisses = 0;
        return StartArticle(turn, article);
    }

    /// <summary>
    /// An operator hands the dialog to the bot to run an article's scenario (its slots) with the client: the first
    /// question, or null when the article has no question to ask. When the scenario ends, is cancelled or fails, the
    /// turn's outcome hands the dialog back to <paramref name="operatorId"/>.
    /// </summary>
    public TurnResult? StartScenario(DialogState state, string articleId, string language, string operatorId, DialogContext? context = null)
    {
        if (!_articles.TryGetValue(articleId, out var article) || !article.Slots.Any(id => _slots.TryGetValue(id, out var slot) && slot.Kind != SlotKind.Hidden))
            return null;
        var turn = new Turn(state, language, context);
        StartArticle(turn, article);
        if (state.Scenario is not { } scenario)
            return null;
        scenario.ReturnToOperatorId = operatorId;
        return turn.Result();
    }

    /// <summary>A scenario an operator started is over: the dialog goes back to that operator, unless the turn already hands it off.</summary>
    private static TurnResult ReturnToOperator(Turn turn, ScenarioState scenario, string reason)
    {
        if (scenario.ReturnToOperatorId is { } operatorId && turn.Outcome is TurnOutcome.Continue)
            turn.Outcome = new TurnOutcome.Handoff(null, reason) { OperatorId = operatorId };
        return turn.Result();
    }

    /// <summary>The greeting article (it may start a scenario) and, if so configured, the out-of-hours notice.</summary>
    public TurnResult Greet(DialogState state, string language, DialogContext? context = null)
    {
        var turn = new Turn(state, language, context);
        if (Localized(_kb.Settings.GreetingArticle, language) is { } id && _articles.TryGetValue(id, out var article))
            StartArticle(turn, article);
        if (turn.Outcome is TurnOutcome.Continue && state.Scenario is null && ClosedCalendar(context) is { OutOfHours.NoticeOnGreeting: true } calendar
            && Localized(calendar.OutOfHours.Text, language) is { } notice)
            turn.Say(notice, null);
        return turn.Result();
    }

    /// <summary>
    /// A handoff decided outside the runner (an external agent's action, its fallback, a client leaving the agent) meets
    /// the call centre's business hours as an article's <c>/operator</c> does: out of hours the calendar's notice follows
    /// what was said, then the dialog is queued or the contact article collects a callback request.
    /// </summary>
    public TurnResult HandOffInHours(TurnResult result, string language, DialogContext? context)
    {
        if (result.Outcome is not TurnOutcome.Handoff { OutOfHours: false } handoff || ClosedCalendar(context) is null)
            return result;
        var turn = new Turn(result.State, language, context);
        turn.Messages.AddRange(result.Messages);
        var handed = HandOff(turn, handoff.Line, handoff.Reason, handoff.Skills);
        return handed.Outcome is TurnOutcome.Handoff queued ? handed with { Outcome = queued with { OperatorId = handoff.OperatorId } } : handed;
    }

    /// <summary>True when the call centre's operators work now (no calendar: always).</summary>
    public bool OperatorsAvailable(DialogContext? context) => ClosedCalendar(context) is null;

    private sealed class Turn(DialogState state, string language, DialogContext? context)
    {
        public DialogState State { get; } = state;
        public string Language { get; } = language;
        public DialogContext? Context { get; } = context;
        public List<OutgoingMessage> Messages { get; } = [];
        public TurnOutcome Outcome { get; set; } = new TurnOutcome.Continue();
        public ClarifiedExample? Clarified { get; set; }

        public void Say(string text, string? articleId, IReadOnlyList<AnswerButton>? buttons = null, IReadOnlyList<AnswerAttachment>? attachments = null,
            SlotType? expects = null) =>
            Messages.Add(new OutgoingMessage(text, buttons ?? [], attachments ?? [], articleId) { Expects = expects });

        public TurnResult Result() => new(Messages, Outcome, State) { Clarified = Clarified };
    }

    /// <param name="unsure">Two or more articles to ask "did you mean" about (then the result is to be ignored), or empty.</param>
    private Article? ResolveArticle(ClientInput input, out List<(Article Article, double Confidence)> unsure)
    {
        unsure = [];
        // Buttons are chosen by the author, so they are followed regardless of access settings.
        if (input.ArticleId is not null)
            return _articles.GetValueOrDefault(input.ArticleId);
        if (string.IsNullOrWhiteSpace(input.Text))
            return null;
        double floor = _options.ClarifyMinConfidence ?? _options.MinConfidence;
        var offered = new List<(Article Article, double Confidence)>();
        foreach (var candidate in _matcher.Match(input.Text, input.Language))
        {
            if (candidate.Confidence < Math.Min(floor, _options.MinConfidence) || offered.Count >= Math.Max(1, _options.ClarifyCandidates))
                break;
            if (_articles.TryGetValue(candidate.ArticleId, out var article) && ArticleAccessFilter.IsOffered(article.Access, input.Language, input.Context)
                && !offered.Exists(o => o.Article.Id == article.Id))
                offered.Add((article, candidate.Confidence));
        }
        if (offered.Count == 0)
            return null;
        bool confident = offered[0].Confidence >= _options.MinConfidence;
        if (_options.ClarifyMinConfidence is not null)
        {
            var close = offered.Where(o => o.Confidence >= floor).ToList();
            if (close.Count >= 2 && (!confident || offered[0].Confidence - close[1].Confidence < _options.ClarifyMargin))
                unsure = close;
        }
        return confident ? offered[0].Article : null;
    }

    /// <summary>"Did you mean": the candidate articles as buttons; the pick is remembered to be reported as a training example.</summary>
    private TurnResult AskWhichArticle(Turn turn, string text, List<(Article Article, double Confidence)> candidates)
    {
        turn.State.ConsecutiveMisses = 0;
        turn.State.Clarification = new ClarificationState { Text = text, ArticleIds = candidates.Select(c => c.Article.Id).ToList() };
        var buttons = candidates
            .Select(c => new AnswerButton { Label = string.IsNullOrWhiteSpace(c.Article.Title) ? c.Article.Questions.FirstOrDefault() ?? c.Article.Id : c.Article.Title, Article = c.Article.Id })
            .ToList();
        turn.Say(RunnerTexts.DidYouMean(turn.Language), null, buttons);
        return turn.Result();
    }

    private TurnResult StartArticle(Turn turn, Article article, bool collectingContacts = false, string? handoffLine = null, IReadOnlyList<string>? handoffSkills = null)
    {
        turn.State.LastArticleId = article.Id;
        if (article.Slots.Count == 0)
            return SendAnswers(turn, article);

        var scenario = new ScenarioState { ArticleId = article.Id, CollectingContacts = collectingContacts, HandoffLine = handoffLine, HandoffSkills = [.. handoffSkills ?? []] };
        turn.State.Scenario = scenario;
        foreach (var slotId in article.Slots)
        {
            if (_slots.TryGetValue(slotId, out var slot) && slot.Kind == SlotKind.Hidden
                && SlotValues.TryFind(slot, turn.State.RecentTexts, out var value))
            {
                turn.State.Slots[slotId] = value;
                scenario.FilledHere.Add(slotId);
            }
        }
        return Advance(turn, article);
    }

    /// <summary>Asks the next slot that needs asking, or finishes the scenario with its answers.</summary>
    private TurnResult Advance(Turn turn, Article article)
    {
        var scenario = turn.State.Scenario!;
        scenario.Failures = 0;
        foreach (var slotId in article.Slots)
        {
            if (!_slots.TryGetValue(slotId, out var slot) || slot.Kind == SlotKind.Hidden || scenario.Settled.Contains(slotId))
                continue;
            var filled = turn.State.Slots.ContainsKey(slotId);
            if (filled && slot.FilledQuestion is null)
            {
                scenario.Settled.Add(slotId);
                continue;
            }
            scenario.SlotId = slotId;
            scenario.ConfirmingFilled = filled;
            Ask(turn, article, slot, hint: null);
            return turn.Result();
        }

        turn.State.Scenario = null;
        if (scenario.CollectingContacts)
        {
            SendAnswers(turn, article);
            var contacts = article.Slots.Where(turn.State.Slots.ContainsKey).ToDictionary(id => id, id => turn.State.Slots[id]);
            turn.Outcome = new TurnOutcome.CallbackRequested(scenario.HandoffLine, contacts);
            return turn.Result();
        }
        SendAnswers(turn, article);
        return ReturnToOperator(turn, scenario, ScenarioDone);
    }

    /// <summary>The handoff reason of a scenario an operator started and the client finished.</summary>
    public const string ScenarioDone = "scenario_done";

    private void Ask(Turn turn, Article article, SlotDefinition slot, string? hint)
    {
        if (hint is not null)
            turn.Say(hint, article.Id);
        var scenario = turn.State.Scenario!;
        if (scenario.ConfirmingFilled)
        {
            var question = slot.FilledQuestion!;
            turn.Say(Render(question.Text, turn.State), article.Id,
                [new AnswerButton { Label = RunnerTexts.Yes(turn.Language), Value = "yes" }, new AnswerButton { Label = RunnerTexts.No(turn.Language), Value = "no" }],
                question.Attachments);
            return;
        }
        var buttons = slot.Type == SlotType.Dictionary
            ? slot.Items.Select(i => new AnswerButton { Label = i.Value, Value = i.Id }).ToList()
            : [];
        turn.Say(Render(slot.Question?.Text ?? slot.Name, turn.State), article.Id, buttons, slot.Question?.Attachments, slot.Type);
    }

    private TurnResult AnswerSlot(Turn turn, ClientInput input)
    {
        var scenario = turn.State.Scenario!;
        var article = _articles[scenario.ArticleId];
        if (scenario.SlotId is null)
            return Advance(turn, article);
        var slot = _slots[scenario.SlotId];

        if (scenario.ConfirmingFilled)
        {
            var reply = input.Payload ?? input.Text ?? "";
            if (reply == "yes" || RunnerTexts.IsYes(reply))
            {
                scenario.Settled.Add(slot.Id);
                return Advance(turn, article);
            }
            if (reply == "no" || RunnerTexts.IsNo(reply))
            {
                scenario.ConfirmingFilled = false;
                Ask(turn, article, slot, hint: null);
                return turn.Result();
            }
            // A fresh value instead of yes/no is taken as the new value.
            if (input.Payload is null && SlotValues.TryParseAnswer(slot, input.Text, null, out var fresh) && slot.Type is not (SlotType.Text or SlotType.RegexMatch))
                return Accept(turn, article, slot, fresh);
            return Fail(turn, article, slot, RunnerTexts.YesNoHint(turn.Language));
        }

        if (SlotValues.TryParseAnswer(slot, input.Text, input.Payload, out var value))
        {
            return value.Length <= _options.MaxSlotValueLength
                ? Accept(turn, article, slot, value)
                : Fail(turn, article, slot, RunnerTexts.TooLong(_options.MaxSlotValueLength, turn.Language));
        }
        return Fail(turn, article, slot, slot.Hint ?? RunnerTexts.Hint(slot, turn.Language));
    }

    private TurnResult Accept(Turn turn, Article article, SlotDefinition slot, string value)
    {
        var scenario = turn.State.Scenario!;
        turn.State.Slots[slot.Id] = value;
        scenario.Settled.Add(slot.Id);
        if (!scenario.FilledHere.Contains(slot.Id))
            scenario.FilledHere.Add(slot.Id);
        scenario.SlotId = null;
        scenario.ConfirmingFilled = false;
        return Advance(turn, article);
    }

    private TurnResult Fail(Turn turn, Article article, SlotDefinition slot, string hint)
    {
        var scenario = turn.State.Scenario!;
        scenario.Failures++;
        if (scenario.Failures >= (slot.MaxAttempts ?? _options.SlotAttemptsBeforeHandoff))
        {
            turn.State.Scenario = null;
            if (scenario.CollectingContacts)
            {
                // Already out of hours: queueing is the only way left to reach a person.
                turn.Outcome = new TurnOutcome.Handoff(scenario.HandoffLine, "slot_failed") { OutOfHours = true, Skills = scenario.HandoffSkills };
                return turn.Result();
            }
            if (scenario.ReturnToOperatorId is { } operatorId)
            {
                turn.Outcome = new TurnOutcome.Handoff(null, "slot_failed") { OperatorId = operatorId };
                return turn.Result();
            }
            return HandOff(turn, null, "slot_failed");
        }
        Ask(turn, article, slot, hint);
        return turn.Result();
    }

    private TurnResult Cancel(Turn turn)
    {
        var scenario = turn.State.Scenario!;
        foreach (var slotId in scenario.FilledHere)
            turn.State.Slots.Remove(slotId);
        turn.State.Scenario = null;
        // Exact language only: the built-in text in the client's language beats another language's custom one.
        turn.Say(_kb.Settings.CancelText.GetValueOrDefault(turn.Language) ?? RunnerTexts.Cancelled(turn.Language), scenario.ArticleId);
        return ReturnToOperator(turn, scenario, ScenarioDone);
    }

    private TurnResult SendAnswers(Turn turn, Article article)
    {
        var matching = article.Answers.Where(a => a.Conditions.All(c => Holds(c, turn.State))).ToList();
        IEnumerable<Answer> chosen = article.MessagePolicy switch
        {
            MessagePolicy.First => matching.Take(1),
            MessagePolicy.Random => matching.Count == 0 ? [] : [matching[_random.Next(matching.Count)]],
            _ => matching,
        };
        // Out of hours, an article that hands off says the calendar's notice instead of its own words, which were
        // written for an operator answering now ("connecting you...").
        var closedNotice = chosen.Any(a => AnswerCommand.TryParse(a.Text, out var c, out _) && c is AnswerCommand.Operator)
            && ClosedCalendar(turn.Context) is { } closed && Localized(closed.OutOfHours.Text, turn.Language) is not null;
        foreach (var answer in chosen)
        {
            if (AnswerCommand.TryParse(answer.Text, out var command, out _))
            {
                switch (command)
                {
                    case AnswerCommand.Operator op:
                        return HandOff(turn, op.Line, "requested", op.Skills);
                    case AnswerCommand.Redirect redirect:
                        turn.State.ExternalAgentId = redirect.AgentId;
                        turn.Outcome = new TurnOutcome.Redirect(redirect.AgentId);
                        return turn.Result();
                    case AnswerCommand.Close:
                        turn.Outcome = new TurnOutcome.Close();
                        return turn.Result();
                }
                continue; // an invalid command never passes validation; skip rather than show it
            }
            if (!closedNotice)
                turn.Say(Render(answer.Text, turn.State), article.Id, answer.Buttons, answer.Attachments);
        }
        return turn.Result();
    }

    /// <summary>Queues for operators, unless the call centre is closed: then the notice, and queue or collect contacts.</summary>
    private TurnResult HandOff(Turn turn, string? line, string reason, IReadOnlyList<string>? skills = null)
    {
        skills ??= [];
        var calendar = ClosedCalendar(turn.Context);
        if (calendar is null)
        {
            turn.Outcome = new TurnOutcome.Handoff(line, reason) { Skills = skills };
            return turn.Result();
        }
        if (Localized(calendar.OutOfHours.Text, turn.Language) is { } notice)
            turn.Say(notice, null);
        if (calendar.OutOfHours is { Mode: OutOfHoursMode.CollectContacts, ContactArticle: { } contactId } && _articles.TryGetValue(contactId, out var contact))
            return StartArticle(turn, contact, collectingContacts: true, handoffLine: line, handoffSkills: skills);
        turn.Outcome = new TurnOutcome.Handoff(line, reason) { OutOfHours = true, Skills = skills };
        return turn.Result();
    }

    private BusinessCalendar? ClosedCalendar(DialogContext? context)
    {
        var calendar = BusinessHours.CalendarFor(_kb, context?.CallCentre);
        return calendar is not null && !BusinessHours.IsOpen(calendar, _time.GetUtcNow()) ? calendar : null;
    }

    private bool Holds(AnswerCondition condition, DialogState state)
    {
        var filled = state.Slots.TryGetValue(condition.Slot, out var value);
        return condition.Operator switch
        {
            ConditionOperator.Filled => filled,
            ConditionOperator.Empty => !filled,
            ConditionOperator.Equals => filled && string.Equals(value, condition.Value, StringComparison.OrdinalIgnoreCase),
            ConditionOperator.NotEquals => !filled || !string.Equals(value, condition.Value, StringComparison.OrdinalIgnoreCase),
            ConditionOperator.Matches => filled && condition.Value is not null
                && KbPatterns.IsMatch(value!, condition.Value),
            ConditionOperator.GreaterThan => filled && Compare(value!, condition.Value) > 0,
            ConditionOperator.LessThan => filled && Compare(value!, condition.Value) is < 0 and not int.MinValue,
            _ => false,
        };
    }

    // int.MinValue marks "not comparable" so neither greaterThan nor lessThan holds.
    private static int Compare(string value, string? other) =>
        decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var a)
        && decimal.TryParse(other, NumberStyles.Number, CultureInfo.InvariantCulture, out var b)
            ? a.CompareTo(b) : int.MinValue;

    [GeneratedRegex(@"\{\{\s*([\p{L}\p{Nd}_-]+)\s*\}\}")]
    private static partial Regex PlaceholderRegex();

    /// <summary>Replaces <c>{{slotId}}</c> with the slot's display value (empty when unset).</summary>
    private string Render(string text, DialogState state) =>
        PlaceholderRegex().Replace(text, m => state.Slots.TryGetValue(m.Groups[1].Value, out var value)
            ? SlotValues.Display(_slots.GetValueOrDefault(m.Groups[1].Value), value)
            : "");

    private static string? Localized(Dictionary<string, string> texts, string language) =>
        texts.TryGetValue(language, out var text) ? text : texts.Values.FirstOrDefault();
}
