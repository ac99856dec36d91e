using System.Text.Json;
using System.Text.RegularExpressions;
using BotEngine.Storage;

namespace BotEngine.Engine.Clients;

/// <summary>The widget's settings, kept in the settings table and checked before they are saved.</summary>
public sealed partial class WidgetAppearance(SettingsStore settings)
{
    private const string Key = "widget.settings";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly string[] StandardFields = ["firstName", "lastName", "phone", "email", "contract"];

    public async Task<WidgetSettings> GetAsync(CancellationToken cancellationToken)
    {
        var stored = await settings.GetOrCreateAsync(Key, () => JsonSerializer.Serialize(new WidgetSettings(), Json), cancellationToken);
        return JsonSerializer.Deserialize<WidgetSettings>(stored, Json) ?? new WidgetSettings();
    }

    public async Task<WidgetSettings> SaveAsync(WidgetSettings? value, CancellationToken cancellationToken)
    {
        if (value is null)
            throw new ClientProfileException("Send the widget's settings as a JSON object.", "widget.bad_settings");
        if (value.TitleRu is { Length: > 60 } || value.TitleEn is { Length: > 60 })
            throw new ClientProfileException("titleRu, titleEn: at most 60 characters.", "widget.bad_settings");
        if (!ColorPattern().IsMatch(value.Color ?? ""))
            throw new ClientProfileException("color: a colour as #rrggbb.", "widget.bad_settings");
        foreach (var (url, field) in new[] { (value.LogoUrl, "logoUrl"), (value.ConsentUrl, "consentUrl") })
        {
            if (url is not null && (url.Length > 500 || !Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("https" or "http")))
                throw new ClientProfileException($"{field}: an http(s) address of at most 500 characters.", "widget.bad_settings");
        }
        var fields = value.PreChatFields ?? [];
        if (fields.Count > 10)
            throw new ClientProfileException("preChatFields: at most 10.", "widget.bad_settings");
        for (var i = 0; i < fields.Count; i++)
        {
            var name = fields[i]?.Name ?? "";
            if (!StandardFields.Contains(name) && !(name.StartsWith("fields.", StringComparison.Ordinal) && name.Length > 7))
                throw new ClientProfileException($"preChatFields[{i}].name: one of {string.Join(", ", StandardFields)} or fields.<custom field>.", "widget.bad_settings");
        }
        if (fields.Select(f => f.Name).Distinct(StringComparer.Ordinal).Count() != fields.Count)
            throw new ClientProfileException("preChatFields: a field is listed twice.", "widget.bad_settings");
        var saved = value with { PreChatFields = fields };
        await settings.SetAsync(Key, JsonSerializer.Serialize(saved, Json), cancellationToken);
        return saved;
    }

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex ColorPattern();
}
