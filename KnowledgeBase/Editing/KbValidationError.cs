namespace BotEngine.KnowledgeBase;

/// <summary>
/// One problem in a KB document; <see cref="Path"/> names the field, e.g. <c>articles[3].answers[0].buttons[1].article</c>.
/// <see cref="Code"/> says what kind of problem it is, so a page can say it in its own language (with <see cref="Value"/>,
/// the offending value or limit); <see cref="Message"/> is the English text for API callers.
/// </summary>
public sealed record KbValidationError(string Path, string Message)
{
    /// <summary>A stable, lower-case name of the problem ("required", "missing_article", ...); "invalid" when not classified.</summary>
    public string Code { get; init; } = "invalid";

    /// <summary>What the message quotes: the offending value, the limit, or the parser's own words.</summary>
    public string? Value { get; init; }

    public static KbValidationError Of(string path, string code, string message, string? value = null) =>
        new(path, message) { Code = code, Value = value };

    public override string ToString() => $"{Path}: {Message}";
}
