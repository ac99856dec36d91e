namespace BotEngine.Bot.Api;

/// <param name="Shortcut">The word typed after "/" in the draft (letters, digits, _ and -, up to 30).</param>
/// <param name="Hotkey">1-9: Alt+digit inserts it.</param>
/// <param name="Shared">Every operator's (needs view_monitoring), or the caller's own.</param>
public sealed record TemplateRequest(string? Title, string? Text, string? Shortcut, int? Hotkey, bool? Shared);
