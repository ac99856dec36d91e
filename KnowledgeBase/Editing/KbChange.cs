namespace BotEngine.KnowledgeBase;

/// <summary>
/// The outcome of an edit or import: the new document when valid, else the errors. The input document is
/// never modified, so a refused change leaves the KB exactly as it was.
/// </summary>
public sealed record KbChange(KbDocument? Document, IReadOnlyList<KbValidationError> Errors)
{
    public bool Succeeded => Errors.Count == 0;

    internal static KbChange Validated(KbDocument candidate, string? entityPrefix = null)
    {
        var errors = KbValidator.Validate(candidate);
        if (errors.Count == 0)
            return new(candidate, []);
        // Errors inside the edited entity read relative to it ("answers[0].text"), others keep the full path.
        if (entityPrefix is not null)
            errors = errors.Select(e => e.Path.StartsWith(entityPrefix + ".", StringComparison.Ordinal)
                ? e with { Path = e.Path[(entityPrefix.Length + 1)..] }
                : e.Path == entityPrefix ? e with { Path = "$" } : e).ToList();
        return new(null, errors);
    }

    internal static KbChange Failed(params KbValidationError[] errors) => new(null, errors);
}
