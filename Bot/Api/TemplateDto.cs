namespace BotEngine.Bot.Api;

/// <summary>An answer template; <see cref="Shared"/> ones are every operator's, the others their owner's.</summary>
public sealed record TemplateDto(string Id, string Title, string Text, string? Shortcut, int? Hotkey, bool Shared, DateTimeOffset UpdatedAt);
