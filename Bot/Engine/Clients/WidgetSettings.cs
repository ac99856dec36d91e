namespace BotEngine.Engine.Clients;

/// <summary>
/// How the embeddable web widget looks and what it asks before the chat: titles, colour, logo, and the pre-chat form
/// (<see cref="PreChatFields"/>; empty means no form) with an optional consent checkbox linking to the site's terms.
/// </summary>
public sealed record WidgetSettings(
    string? TitleRu = null,
    string? TitleEn = null,
    string Color = WidgetSettings.DefaultColor,
    string? LogoUrl = null,
    IReadOnlyList<PreChatField>? PreChatFields = null,
    bool ConsentRequired = false,
    string? ConsentUrl = null)
{
    public const string DefaultColor = "#1f6feb";
}
