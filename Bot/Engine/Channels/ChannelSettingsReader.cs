using System.Text.Json.Nodes;

namespace BotEngine.Engine.Channels;

/// <summary>Reads a channel type's settings for its validation, each fault a <see cref="ChannelSettingsException"/> naming the field.</summary>
public static class ChannelSettingsReader
{
    /// <summary>Refuses a setting the type does not know (a typo would otherwise be stored and silently ignored).</summary>
    public static void OnlyKnown(JsonObject settings, string typeTitle, IReadOnlyCollection<string> known)
    {
        if (settings.Select(p => p.Key).FirstOrDefault(k => !known.Contains(k)) is { } unknown)
            throw new ChannelSettingsException($"settings.{unknown}: not a {typeTitle} setting ({string.Join(", ", known)}).");
    }

    /// <summary>A trimmed string setting, null when absent or blank.</summary>
    public static string? Text(JsonObject settings, string name, int maxLength = 1000)
    {
        var text = settings[name] switch
        {
            null => null,
            JsonValue value when value.TryGetValue<string>(out var s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim(),
            _ => throw new ChannelSettingsException($"settings.{name}: must be a string."),
        };
        return text is null || text.Length <= maxLength ? text : throw new ChannelSettingsException($"settings.{name}: at most {maxLength} characters.");
    }

    public static string Required(JsonObject settings, string name, string what) =>
        Text(settings, name) ?? throw new ChannelSettingsException($"settings.{name}: required, {what}.");

    /// <summary>An absolute http(s) URL setting without a trailing slash, null when absent.</summary>
    public static string? Url(JsonObject settings, string name)
    {
        var text = Text(settings, name);
        if (text is null)
            return null;
        if (text.Length > 500 || !Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new ChannelSettingsException($"settings.{name}: '{text}' is not an absolute http(s) URL.");
        return text.TrimEnd('/');
    }

    /// <summary>Copies the settings that are set into a new object, in the order given.</summary>
    public static JsonObject Collect(params (string Name, string? Value)[] values)
    {
        var result = new JsonObject();
        foreach (var (name, value) in values)
        {
            if (value is not null)
                result[name] = value;
        }
        return result;
    }
}
