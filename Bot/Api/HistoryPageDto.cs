namespace BotEngine.Bot.Api;

/// <summary>A page of history search, newest first; <see cref="NextCursor"/> continues it (null on the last page).</summary>
public sealed record HistoryPageDto(IReadOnlyList<HistoryDialogDto> Items, string? NextCursor);
