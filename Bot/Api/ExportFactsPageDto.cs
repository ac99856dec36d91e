namespace BotEngine.Bot.Api;

/// <summary>A page of exported statistics rows; <c>nextCursor</c> (with the same query) continues, null on the last page.</summary>
public sealed record ExportFactsPageDto(IReadOnlyList<ExportFactsDto> Dialogs, string? NextCursor);
