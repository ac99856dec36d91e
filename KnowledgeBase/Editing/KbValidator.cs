using System.Globalization;
using System.Text.RegularExpressions;

namespace BotEngine.KnowledgeBase;

/// <summary>Checks a whole KB document: field rules and references between entities. Errors name the field.</summary>
public static partial class KbValidator
{
    public const int MaxIdentifierLength = 100;

    [GeneratedRegex(@"^[\p{L}\p{Nd}_-]+$")]
    private static partial Regex IdentifierRegex();

    [GeneratedRegex(@"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")]
    private static partial Regex TimeRegex();

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex FileIdRegex();

    /// <summary>The form of a stored file's id; whether the file exists is for the engine that stores it to say.</summary>
    public static bool IsFileId(string? id) => id is not null && FileIdRegex().IsMatch(id);

    /// <summary>Letters (Cyrillic included), digits, '_' and '-'.</summary>
    public static bool IsValidIdentifier(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= MaxIdentifierLength && IdentifierRegex().IsMatch(id);

    public static IReadOnlyList<KbValidationError> Validate(KbDocument doc)
    {
        var errors = new List<KbValidationError>();
        if (doc.Version < 1)
            errors.Add(KbValidationError.Of("version", "min", "must be 1 or greater", "1"));

        var recordTypes = Ids(doc.RecordTypes, "recordTypes", r => r.Id, errors);
        for (var i = 0; i < doc.RecordTypes.Count; i++)
            Required(doc.RecordTypes[i].Name, $"recordTypes[{i}].name", errors);

        Ids(doc.Topics, "topics", t => t.Id, errors);
        for (var i = 0; i < doc.Topics.Count; i++)
            Required(doc.Topics[i].Name, $"topics[{i}].name", errors);

        var slots = Ids(doc.Slots, "slots", s => s.Id, errors);
        for (var i = 0; i < doc.Slots.Count; i++)
            ValidateSlot(doc.Slots[i], $"slots[{i}]", errors);

        var agents = Ids(doc.Agents, "agents", a => a.Id, errors);
        for (var i = 0; i < doc.Agents.Count; i++)
            ValidateAgent(doc.Agents[i], $"agents[{i}]", errors);

        var articles = Ids(doc.Articles, "articles", a => a.Id, errors);
        var refs = new References(articles, recordTypes, slots, agents, doc.Slots.GroupBy(s => s.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal));
        for (var i = 0; i < doc.Articles.Count; i++)
            ValidateArticle(doc.Articles[i], $"articles[{i}]", refs, errors);

        var centres = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < doc.Calendars.Count; i++)
        {
            var path = $"calendars[{i}]";
            var calendar = doc.Calendars[i];
            if (string.IsNullOrEmpty(calendar.CallCentre))
                errors.Add(KbValidationError.Of($"{path}.callCentre", "call_centre_required", "is required (a call centre id, or \"*\" for the default)"));
            else if (!centres.Add(calendar.CallCentre))
                errors.Add(KbValidationError.Of($"{path}.callCentre", "calendar_exists", $"call centre '{calendar.CallCentre}' already has a calendar", calendar.CallCentre));
            ValidateCalendar(calendar, path, refs, errors);
        }

        foreach (var (language, articleId) in doc.Settings.GreetingArticle)
            if (!articles.Contains(articleId))
                errors.Add(KbValidationError.Of($"settings.greetingArticle.{language}", "missing_article", $"article '{articleId}' does not exist", articleId));
        if (doc.Settings.MinConfidence is { } threshold && (double.IsNaN(threshold) || threshold is < 0 or > 1))
            errors.Add(KbValidationError.Of("settings.minConfidence", "range", "must be between 0 and 1", "0–1"));
        return errors;
    }

    private sealed record References(
        HashSet<string> Articles, HashSet<string> RecordTypes, HashSet<string> Slots, HashSet<string> Agents,
        Dictionary<string, SlotDefinition> SlotsById);

    private static HashSet<string> Ids<T>(List<T> items, string collection, Func<T, string> id, List<KbValidationError> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var value = id(items[i]);
            var path = $"{collection}[{i}].id";
            if (string.IsNullOrEmpty(value))
                errors.Add(KbValidationError.Of(path, "required", "is required"));
            else if (!IsValidIdentifier(value))
                errors.Add(KbValidationError.Of(path, "identifier", $"'{value}' is not a valid identifier: use letters, digits, '_' and '-' (at most {MaxIdentifierLength})", value));
            else if (!seen.Add(value))
                errors.Add(KbValidationError.Of(path, "duplicate", $"'{value}' is used more than once", value));
        }
        return seen;
    }

    private static void Required(string? value, string path, List<KbValidationError> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
            errors.Add(KbValidationError.Of(path, "required", "is required"));
    }

    private static void ValidateArticle(Article article, string path, References refs, List<KbValidationError> errors)
    {
        Required(article.Title, $"{path}.title", errors);
        if (article.RecordType is { } type && !refs.RecordTypes.Contains(type))
            errors.Add(KbValidationError.Of($"{path}.recordType", "missing_record_type", $"record type '{type}' does not exist", type));
        for (var q = 0; q < article.Questions.Count; q++)
            Required(article.Questions[q], $"{path}.questions[{q}]", errors);
        for (var t = 0; t < article.Topics.Count; t++)
            if (!IsValidIdentifier(article.Topics[t]))
                errors.Add(KbValidationError.Of($"{path}.topics[{t}]", "identifier", $"'{article.Topics[t]}' is not a valid identifier", article.Topics[t]));

        var seenSlots = new HashSet<string>(StringComparer.Ordinal);
        for (var s = 0; s < article.Slots.Count; s++)
        {
            var slot = article.Slots[s];
            if (!refs.Slots.Contains(slot))
                errors.Add(KbValidationError.Of($"{path}.slots[{s}]", "missing_slot", $"slot '{slot}' does not exist", slot));
            else if (!seenSlots.Add(slot))
                errors.Add(KbValidationError.Of($"{path}.slots[{s}]", "duplicate", $"slot '{slot}' is listed more than once", slot));
        }

        if (article.Answers.Count == 0)
            errors.Add(KbValidationError.Of($"{path}.answers", "answers_required", "at least one answer is required"));
        for (var a = 0; a < article.Answers.Count; a++)
            ValidateAnswer(article.Answers[a], $"{path}.answers[{a}]", refs, errors);
    }

    private static void ValidateAnswer(Answer answer, string path, References refs, List<KbValidationError> errors)
    {
        var text = answer.Text.Trim();
        if (text.Length == 0 && answer.Buttons.Count == 0 && answer.Attachments.Count == 0)
            errors.Add(KbValidationError.Of($"{path}.text", "answer_text_required", "is required when the answer has no buttons or attachments"));
        if (AnswerCommand.TryParse(text, out var command, out var commandError))
        {
            if (commandError is not null)
                errors.Add(KbValidationError.Of($"{path}.text", "command", commandError, text));
            else if (command is AnswerCommand.Redirect redirect && !refs.Agents.Contains(redirect.AgentId))
                errors.Add(KbValidationError.Of($"{path}.text", "missing_agent", $"external agent '{redirect.AgentId}' does not exist", redirect.AgentId));
        }

        for (var b = 0; b < answer.Buttons.Count; b++)
        {
            var button = answer.Buttons[b];
            var bp = $"{path}.buttons[{b}]";
            Required(button.Label, $"{bp}.label", errors);
            if (button.Value is not null)
                errors.Add(KbValidationError.Of($"{bp}.value", "runner_only", "is set by the runner only; use article or url"));
            if ((button.Article is null) == (button.Url is null))
                errors.Add(KbValidationError.Of(bp, "article_or_url", "exactly one of article and url is required"));
            if (button.Article is { } target && !refs.Articles.Contains(target))
                errors.Add(KbValidationError.Of($"{bp}.article", "missing_article", $"article '{target}' does not exist", target));
            if (button.Url is { } url && !IsHttpUrl(url))
                errors.Add(KbValidationError.Of($"{bp}.url", "http_url", $"'{url}' is not an absolute http(s) URL", url));
        }

        for (var i = 0; i < answer.Attachments.Count; i++)
            ValidateAttachment(answer.Attachments[i], $"{path}.attachments[{i}]", errors);

        for (var c = 0; c < answer.Conditions.Count; c++)
        {
            var condition = answer.Conditions[c];
            var cp = $"{path}.conditions[{c}]";
            if (string.IsNullOrEmpty(condition.Slot))
                errors.Add(KbValidationError.Of($"{cp}.slot", "required", "is required"));
            else if (!refs.Slots.Contains(condition.Slot))
                errors.Add(KbValidationError.Of($"{cp}.slot", "missing_slot", $"slot '{condition.Slot}' does not exist", condition.Slot));
            switch (condition.Operator)
            {
                case ConditionOperator.Filled or ConditionOperator.Empty:
                    break;
                case ConditionOperator.Matches:
                    ValidatePattern(condition.Value, $"{cp}.value", errors);
                    break;
                case ConditionOperator.GreaterThan or ConditionOperator.LessThan:
                    if (!decimal.TryParse(condition.Value, NumberStyles.Number, CultureInfo.InvariantCulture, out _))
                        errors.Add(KbValidationError.Of($"{cp}.value", "number", "must be a number for this operator", condition.Value));
                    break;
                default:
                    if (condition.Value is null)
                        errors.Add(KbValidationError.Of($"{cp}.value", "required", "is required for this operator"));
                    else if (refs.SlotsById.TryGetValue(condition.Slot, out var slot) && slot.Type == SlotType.Dictionary
                             && !slot.Items.Any(item => item.Id == condition.Value))
                        errors.Add(KbValidationError.Of($"{cp}.value", "missing_item", $"slot '{slot.Id}' has no item '{condition.Value}'", condition.Value));
                    break;
            }
        }
    }

    private static void ValidateAttachment(AnswerAttachment attachment, string path, List<KbValidationError> errors)
    {
        Required(attachment.Name, $"{path}.name", errors);
        Required(attachment.ContentType, $"{path}.contentType", errors);
        if (string.IsNullOrWhiteSpace(attachment.Url) == (attachment.FileId is null))
            errors.Add(KbValidationError.Of(path, "url_or_file", "exactly one of url and fileId is required"));
        if (attachment.Url is { } url && url.Length > 0 && !IsSafeLink(url))
            errors.Add(KbValidationError.Of($"{path}.url", "safe_link", $"'{url}' is neither an absolute http(s) URL nor a path on this engine", url));
        if (attachment.FileId is { } fileId && !IsFileId(fileId))
            errors.Add(KbValidationError.Of($"{path}.fileId", "file_id", $"'{fileId}' is not a stored file's id (32 lower-case hex digits)", fileId));
    }

    private static void ValidateSlot(SlotDefinition slot, string path, List<KbValidationError> errors)
    {
        if (slot.Kind == SlotKind.Normal && string.IsNullOrWhiteSpace(slot.Question?.Text))
            errors.Add(KbValidationError.Of($"{path}.question.text", "question_required", "is required for a normal slot"));
        foreach (var (question, name) in new[] { (slot.Question, "question"), (slot.FilledQuestion, "filledQuestion") })
            for (var i = 0; question is not null && i < question.Attachments.Count; i++)
                ValidateAttachment(question.Attachments[i], $"{path}.{name}.attachments[{i}]", errors);
        if (slot.FilledQuestion is { } filled && string.IsNullOrWhiteSpace(filled.Text))
            errors.Add(KbValidationError.Of($"{path}.filledQuestion.text", "required", "is required"));
        if (slot.MaxAttempts is < 1)
            errors.Add(KbValidationError.Of($"{path}.maxAttempts", "min", "must be 1 or greater", "1"));

        switch (slot.Type)
        {
            case SlotType.Dictionary:
                if (slot.Items.Count == 0)
                    errors.Add(KbValidationError.Of($"{path}.items", "items_required", "a dictionary slot needs at least one item"));
                var ids = new HashSet<string>(StringComparer.Ordinal);
                for (var i = 0; i < slot.Items.Count; i++)
                {
                    var item = slot.Items[i];
                    if (string.IsNullOrEmpty(item.Id))
                        errors.Add(KbValidationError.Of($"{path}.items[{i}].id", "required", "is required"));
                    else if (!ids.Add(item.Id))
                        errors.Add(KbValidationError.Of($"{path}.items[{i}].id", "duplicate", $"'{item.Id}' is used more than once", item.Id));
                    Required(item.Value, $"{path}.items[{i}].value", errors);
                }
                break;
            case SlotType.RegexExtract or SlotType.RegexMatch:
                ValidatePattern(slot.Pattern, $"{path}.pattern", errors);
                break;
            case SlotType.Phone:
                if (slot.Mask is { } mask && PhoneNumber.MaskDigits(mask) is < 10 or > 15)
                    errors.Add(KbValidationError.Of($"{path}.mask", "mask", "must have 10 to 15 digit positions ('#' or a digit)", mask));
                break;
            case SlotType.Integer:
                if (slot.Min is { } min && slot.Max is { } max && min > max)
                    errors.Add(KbValidationError.Of($"{path}.max", "max_below_min", "must not be less than min"));
                break;
        }
    }

    private static void ValidatePattern(string? pattern, string path, List<KbValidationError> errors)
    {
        if (string.IsNullOrEmpty(pattern))
        {
            errors.Add(KbValidationError.Of(path, "required", "is required"));
            return;
        }
        if (KbPatterns.CompileError(pattern) is { } problem)
            errors.Add(KbValidationError.Of(path, "regex", $"is not a valid regular expression: {problem}", problem));
    }

    private static void ValidateAgent(ExternalAgent agent, string path, List<KbValidationError> errors)
    {
        Required(agent.Name, $"{path}.name", errors);
        if (!IsHttpUrl(agent.Url))
            errors.Add(KbValidationError.Of($"{path}.url", "http_url", $"'{agent.Url}' is not an absolute http(s) URL", agent.Url));
        if (KbSecrets.IsPlaceholder(agent.Secret))
            errors.Add(KbValidationError.Of($"{path}.secret", "secret_required", "required: this agent has no stored secret to keep"));
        else if (agent.Secret.Length < 16)
            errors.Add(KbValidationError.Of($"{path}.secret", "secret_short", "must be at least 16 characters", "16"));
        if (agent.TimeoutSeconds is < 1 or > ExternalAgent.MaxTimeoutSeconds)
            errors.Add(KbValidationError.Of($"{path}.timeoutSeconds", "range", $"must be between 1 and {ExternalAgent.MaxTimeoutSeconds}", $"1–{ExternalAgent.MaxTimeoutSeconds}"));
        else if (agent.Retries is < 0 or > ExternalAgent.MaxRetries)
            errors.Add(KbValidationError.Of($"{path}.retries", "range", $"must be between 0 and {ExternalAgent.MaxRetries}", $"0–{ExternalAgent.MaxRetries}"));
        else if ((agent.Retries + 1) * agent.TimeoutSeconds > ExternalAgent.MaxTotalWaitSeconds)
            errors.Add(KbValidationError.Of($"{path}.retries", "total_wait", $"{agent.Retries + 1} attempts of {agent.TimeoutSeconds} s exceed {ExternalAgent.MaxTotalWaitSeconds} s for one message: lower retries or timeoutSeconds", ExternalAgent.MaxTotalWaitSeconds.ToString(CultureInfo.InvariantCulture)));
        if (agent.AnswerTimeoutSeconds is < ExternalAgent.MinAnswerTimeoutSeconds or > ExternalAgent.MaxAnswerTimeoutSeconds)
            errors.Add(KbValidationError.Of($"{path}.answerTimeoutSeconds", "range",
                $"must be between {ExternalAgent.MinAnswerTimeoutSeconds} and {ExternalAgent.MaxAnswerTimeoutSeconds}",
                $"{ExternalAgent.MinAnswerTimeoutSeconds}–{ExternalAgent.MaxAnswerTimeoutSeconds}"));
        for (var i = 0; i < agent.OperatorPhrases.Count; i++)
            Required(agent.OperatorPhrases[i], $"{path}.operatorPhrases[{i}]", errors);
        for (var i = 0; i < agent.CancelPhrases.Count; i++)
            Required(agent.CancelPhrases[i], $"{path}.cancelPhrases[{i}]", errors);
    }

    private static void ValidateCalendar(BusinessCalendar calendar, string path, References refs, List<KbValidationError> errors)
    {
        if (!BusinessHours.TryResolveTimeZone(calendar.TimeZone, out _))
            errors.Add(KbValidationError.Of($"{path}.timeZone", "time_zone", $"unknown time zone '{calendar.TimeZone}'", calendar.TimeZone));
        for (var i = 0; i < calendar.Week.Count; i++)
        {
            var hours = calendar.Week[i];
            var hp = $"{path}.week[{i}]";
            var fromOk = TimeRegex().IsMatch(hours.From);
            var toOk = TimeRegex().IsMatch(hours.To);
            if (!fromOk)
                errors.Add(KbValidationError.Of($"{hp}.from", "time", $"'{hours.From}' is not a time (HH:mm)", hours.From));
            if (!toOk)
                errors.Add(KbValidationError.Of($"{hp}.to", "time", $"'{hours.To}' is not a time (HH:mm)", hours.To));
            if (fromOk && toOk && string.CompareOrdinal(hours.From, hours.To) >= 0)
                errors.Add(KbValidationError.Of($"{hp}.to", "later_than_from", "must be later than from"));
        }
        for (var i = 0; i < calendar.Holidays.Count; i++)
            if (!DateOnly.TryParseExact(calendar.Holidays[i], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                errors.Add(KbValidationError.Of($"{path}.holidays[{i}]", "date", $"'{calendar.Holidays[i]}' is not a date (yyyy-MM-dd)", calendar.Holidays[i]));
        var ooh = calendar.OutOfHours;
        if (ooh.Mode == OutOfHoursMode.CollectContacts && ooh.ContactArticle is null)
            errors.Add(KbValidationError.Of($"{path}.outOfHours.contactArticle", "contact_article_required", "is required when mode is collectContacts"));
        if (ooh.ContactArticle is { } contact && !refs.Articles.Contains(contact))
            errors.Add(KbValidationError.Of($"{path}.outOfHours.contactArticle", "missing_article", $"article '{contact}' does not exist", contact));
    }

    internal static bool IsHttpUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    /// <summary>An http(s) URL or a relative path on this engine; never a scheme a browser would run (javascript:, data:).</summary>
    internal static bool IsSafeLink(string url)
    {
        if (IsHttpUrl(url))
            return true;
        var colon = url.IndexOf(':');
        var pathStart = url.IndexOfAny(['/', '?', '#']);
        var hasScheme = colon >= 0 && (pathStart < 0 || colon < pathStart);
        return !hasScheme && !url.StartsWith("//", StringComparison.Ordinal) && !url.Contains('\\');
    }
}
