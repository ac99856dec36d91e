namespace BotEngine.KnowledgeBase;

/// <summary>
/// External agents' HMAC secrets are write-only. What the editor API and the export show carries
/// <see cref="Placeholder"/> instead; an edit or import that sends the placeholder (or no secret) for an agent the
/// KB already has keeps the stored secret, so an export can be imported back without knowing the secrets.
/// </summary>
public static class KbSecrets
{
    public const string Placeholder = "(stored secret, write-only)";

    public static bool IsPlaceholder(string? secret) => string.IsNullOrEmpty(secret) || secret == Placeholder;

    public static ExternalAgent Redact(ExternalAgent agent)
    {
        var copy = KbJson.Clone(agent);
        copy.Secret = Placeholder;
        return copy;
    }

    public static KbDocument Redact(KbDocument document)
    {
        if (document.Agents.Count == 0)
            return document;
        var copy = KbJson.Clone(document);
        copy.Agents = copy.Agents.Select(Redact).ToList();
        return copy;
    }

    /// <summary>A copy of <paramref name="incoming"/> whose agents without a new secret keep the one stored in <paramref name="current"/>.</summary>
    public static ExternalAgent KeepStored(ExternalAgent incoming, KbDocument current)
    {
        if (!IsPlaceholder(incoming.Secret) || current.Agents.FirstOrDefault(a => a.Id == incoming.Id) is not { } stored)
            return incoming;
        var copy = KbJson.Clone(incoming);
        copy.Secret = stored.Secret;
        return copy;
    }

    public static KbDocument KeepStored(KbDocument incoming, KbDocument current)
    {
        if (!incoming.Agents.Any(a => IsPlaceholder(a.Secret)))
            return incoming;
        var copy = KbJson.Clone(incoming);
        copy.Agents = copy.Agents.Select(a => KeepStored(a, current)).ToList();
        return copy;
    }
}
