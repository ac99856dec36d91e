namespace BotEngine.Bot.Api;

/// <param name="SendKey">"enter": Enter sends and Shift+Enter starts a new line; "ctrl_enter": Ctrl+Enter sends and Enter starts a new line.</param>
public sealed record WorkplacePreferencesDto(string? SendKey);
