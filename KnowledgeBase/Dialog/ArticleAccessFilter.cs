namespace BotEngine.KnowledgeBase;

/// <summary>Access settings: an empty list allows anything; a restricted list needs a matching value in the context.</summary>
public static class ArticleAccessFilter
{
    /// <summary>A null context checks the language only (the engine does not know the dialog's place yet).</summary>
    public static bool IsOffered(ArticleAccess access, string? language, DialogContext? context) =>
        Allows(access.Languages, language)
        && (context is null || IsOfferedIn(access, context));

    private static bool IsOfferedIn(ArticleAccess access, DialogContext context) =>
        Allows(access.CallCentres, context.CallCentre)
        && Allows(access.Lines, context.Line)
        && (access.Skills.Count == 0 || context.Skills.Any(s => access.Skills.Contains(s, StringComparer.OrdinalIgnoreCase)));

    private static bool Allows(List<string> allowed, string? value) =>
        allowed.Count == 0 || (value is not null && allowed.Contains(value, StringComparer.OrdinalIgnoreCase));
}
