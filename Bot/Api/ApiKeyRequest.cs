namespace BotEngine.Bot.Api;

/// <param name="Scopes">Permission names the key carries: view_dialogs_search, view_stat, modify_configuration.</param>
public sealed record ApiKeyRequest(string? Name, IReadOnlyList<string>? Scopes);
