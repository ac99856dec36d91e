namespace BotEngine.Bot.Api;

/// <summary>The classifier's top articles for <see cref="ForText"/>, the client's last message (null when the client has written nothing).</summary>
public sealed record SuggestionsDto(string? ForText, List<SuggestionDto> Items);
